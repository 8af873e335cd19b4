using System.Diagnostics;
using System.Globalization;

namespace EdgeSam2.Demo.Render;

/// <summary>
/// A real ffmpeg fed packed RGB24 frames on its stdin (<c>-f rawvideo -pix_fmt rgb24 -s WxH -i pipe:0</c>),
/// encoding them into a file with the output arguments given.
/// </summary>
internal sealed class FfmpegRawEncoder : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly Stream _stdin;
    private readonly string _path;
    private readonly int _frameBytes;

    private FfmpegRawEncoder(Process process, string path, int frameBytes)
    {
        _process = process;
        _path = path;
        _frameBytes = frameBytes;
        _stdin = process.StandardInput.BaseStream;
        _stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
    }

    /// <summary>Starts ffmpeg writing <paramref name="path"/>; <paramref name="outputArguments"/> go between the input and the path (codec, pixel format).</summary>
    public static FfmpegRawEncoder Start(int width, int height, double framesPerSecond, IReadOnlyList<string> outputArguments, string path)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (ReadOnlySpan<string>)[
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgb24",
            "-s", string.Create(CultureInfo.InvariantCulture, $"{width}x{height}"),
            "-r", framesPerSecond.ToString("R", CultureInfo.InvariantCulture),
            "-i", "pipe:0"])
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in outputArguments)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(path);
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start ffmpeg.");
        return new FfmpegRawEncoder(process, path, width * height * 3);
    }

    /// <summary>Writes one frame (exactly width·height·3 bytes).</summary>
    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> rgb24, CancellationToken cancellationToken)
    {
        if (rgb24.Length != _frameBytes)
        {
            throw new ArgumentException($"A frame is {_frameBytes} bytes, got {rgb24.Length}.", nameof(rgb24));
        }

        try
        {
            await _stdin.WriteAsync(rgb24, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // ffmpeg died; CompleteAsync reports why from its stderr.
        }
    }

    /// <summary>Closes the input and waits for ffmpeg; throws with ffmpeg's error output when it failed.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _stdin.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
        }

        _stdin.Close();
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var errors = await _stderr.ConfigureAwait(false);
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {_process.ExitCode} writing {_path}: {errors.Trim()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _process.Dispose();
    }
}
