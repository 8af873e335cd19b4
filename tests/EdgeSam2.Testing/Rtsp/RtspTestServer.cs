using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace EdgeSam2.Testing.Rtsp;

/// <summary>
/// A real RTSP server on 127.0.0.1 (GStreamer's GstRtspServer via rtsp_server.py): a test pattern or a looping file,
/// H.264 with x264 tune=zerolatency. Start awaits the script's readiness line; dispose kills it.
/// </summary>
public sealed class RtspTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _stderr;
    private int _disposed;

    private RtspTestServer(Process process, string url, StringBuilder stderr)
    {
        _process = process;
        _stderr = stderr;
        Url = url;
    }

    /// <summary>The stream's URL, rtsp://127.0.0.1:PORT/test.</summary>
    public string Url { get; }

    /// <summary>
    /// Serves videotestsrc with <paramref name="pattern"/> (smpte, red, green, blue, ball …), a key frame every
    /// <paramref name="gop"/> frames (0: every second). The stream is shared, as a camera's is: a client that joins
    /// after the first joins between key frames.
    /// </summary>
    public static Task<RtspTestServer> StartTestPatternAsync(string pattern = "smpte", int width = 320, int height = 240, int fps = 25, int port = 0, int gop = 0) =>
        StartAsync(["--pattern", pattern, "--port", port.ToString(CultureInfo.InvariantCulture), "--gop", gop.ToString(CultureInfo.InvariantCulture), .. SizeArguments(width, height, fps)]);

    /// <summary>
    /// Serves <paramref name="path"/> in an endless loop, scaled to <paramref name="width"/>×<paramref name="height"/>,
    /// on <paramref name="port"/> (0: a free one; a given port lets a test restart a server where clients expect it).
    /// </summary>
    public static Task<RtspTestServer> StartFileAsync(string path, int width, int height, int fps = 25, int port = 0) =>
        StartAsync(["--file", path, "--port", port.ToString(CultureInfo.InvariantCulture), .. SizeArguments(width, height, fps)]);

    /// <summary>For a failing test's message: whether the server still runs (or its exit code), and its stderr so far.</summary>
    public string Describe() =>
        (_process.HasExited ? $"the RTSP test server exited with code {_process.ExitCode}" : "the RTSP test server is running")
        + $"; its stderr: {Snapshot(_stderr)}";

    /// <summary>The port the server listens on.</summary>
    public int Port => new Uri(Url).Port;

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a test that kills its server mid-way may dispose it again on the way out.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private static string[] SizeArguments(int width, int height, int fps) =>
    [
        "--width", width.ToString(CultureInfo.InvariantCulture),
        "--height", height.ToString(CultureInfo.InvariantCulture),
        "--fps", fps.ToString(CultureInfo.InvariantCulture),
    ];

    private static async Task<RtspTestServer> StartAsync(string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // Kept open: the script exits when it closes, so a crashed test run leaves no server behind.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(RepoPaths.Root, "tests", "EdgeSam2.Testing", "Rtsp", "rtsp_server.py"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var stderr = new StringBuilder();
        var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            while (await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("READY ", StringComparison.Ordinal))
                {
                    return new RtspTestServer(process, line["READY ".Length..].Trim(), stderr);
                }
            }

            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            throw new InvalidOperationException($"RTSP test server exited with code {process.ExitCode} before it was ready: {Snapshot(stderr)}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"RTSP test server not ready within {StartTimeout}: {Snapshot(stderr)}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private static string Snapshot(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}
