using System.Diagnostics;

namespace EdgeSam2.Video;

/// <summary>
/// One ffmpeg child: raw frames on stdout, diagnostics on stderr (tail kept, the input's stream line parsed).
/// Disposing kills it and waits for it, so no decoder outlives its source.
/// </summary>
internal sealed class FfmpegProcess : IAsyncDisposable
{
    private const int TailLines = 20;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StderrTail _tail = new(TailLines);
    private readonly TaskCompletionSource<DecoderStreamInfo> _streamInfo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _pastInputSection;

    private FfmpegProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>Raw frames. Only ever read as bytes: the StreamReader around it is never used.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The input's size and rate from ffmpeg's stream line; default when stderr closed without one.</summary>
    public Task<DecoderStreamInfo> StreamInfo => _streamInfo.Task;

    public string StderrTail => _tail.ToString();

    /// <exception cref="System.ComponentModel.Win32Exception">The executable could not be started.</exception>
    public static FfmpegProcess Start(string executable, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // ffmpeg reacts to keys on stdin ('q' quits); give it a closed pipe rather than our terminal.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var decoder = new FfmpegProcess(process);
        process.ErrorDataReceived += decoder.OnStderrLine;
        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        return decoder;
    }

    /// <summary>Kills ffmpeg (and anything it spawned) if it is still running.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for exit (and for stderr to drain, so the tail is complete); kills it if it lingers.</summary>
    public async Task<int> WaitForExitAsync(TimeProvider time)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitWait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeProvider.System).ConfigureAwait(false);
        _process.ErrorDataReceived -= OnStderrLine;
        _process.Dispose();
        _streamInfo.TrySetResult(default);
    }

    private void OnStderrLine(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is not { } line)
        {
            _streamInfo.TrySetResult(default);
            return;
        }

        _tail.Add(line);
        if (_pastInputSection)
        {
            return;
        }

        // The output section repeats "Stream #0:0: Video:" for the rawvideo we asked for; only the input's counts.
        if (line.StartsWith("Output #", StringComparison.Ordinal))
        {
            _pastInputSection = true;
            _streamInfo.TrySetResult(default);
        }
        else if (DecoderStreamInfo.TryParse(line, out var info))
        {
            _streamInfo.TrySetResult(info);
        }
    }
}
