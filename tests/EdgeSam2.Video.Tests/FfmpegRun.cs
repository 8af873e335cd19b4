using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeSam2.Video.Tests;

/// <summary>
/// Real ffmpeg run with the arguments a source gets (<see cref="FfmpegArguments.Build"/>), its raw frames on
/// <see cref="Output"/> and its first stderr lines kept for a failure message. Dispose kills it.
/// </summary>
internal sealed class FfmpegRun : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _errors = new();

    public FfmpegRun(VideoSourceOptions options)
    {
        var startInfo = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in FfmpegArguments.Build(options))
        {
            startInfo.ArgumentList.Add(argument);
        }

        _process = Process.Start(startInfo)!;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line && _errors.Count < 200)
            {
                _errors.Enqueue(line);
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>ffmpeg's stdout: raw frames.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>ffmpeg's last stderr lines (of its first 200), for a failure message.</summary>
    public string LastErrors => string.Join(" | ", _errors.TakeLast(8));

    /// <summary>Kills ffmpeg and waits for it to go (its stdout then ends); harmless when it has gone.</summary>
    public void Stop()
    {
        try
        {
            _process.Kill();
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
