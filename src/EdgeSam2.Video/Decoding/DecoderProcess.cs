using System.Diagnostics;
using System.Text;

namespace EdgeSam2.Video;

/// <summary>
/// One decoder child (ffmpeg or gst-launch): raw frames on stdout; on stderr its diagnostics (a tail kept for the
/// reason it stopped), the input's stream line, each frame's PTS (ffmpeg's showinfo) and decoding errors.
/// Disposing kills it and waits for it, so no decoder outlives its source.
/// </summary>
internal sealed class DecoderProcess : IAsyncDisposable
{
    private const int TailLines = 20;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly StderrTail _tail = new(TailLines);
    private readonly TaskCompletionSource<DecoderStreamInfo> _streamInfo = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly DecodeErrorMonitor _errors;

    // showinfo lines are decoded here, not into strings: two a frame.
    private readonly char[] _showInfo = new char[StderrLineReader.MaxLineBytes];
    private StderrLineReader? _stderr;
    private bool _pastInputSection;
    private double _timeBase;

    // GStreamer's first ERROR names the cause; the lines after it (consequences, debug info) can push it out of the tail.
    private volatile string? _firstError;

    private DecoderProcess(Process process, DecodeErrorMonitor errors)
    {
        _process = process;
        _errors = errors;
    }

    public int Id => _process.Id;

    /// <summary>False once the decoder has exited (or was killed).</summary>
    public bool Running
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    /// <summary>The capacity of the stdout pipe once grown; 0 when it could not be read.</summary>
    public int PipeBytes { get; private set; }

    /// <summary>Raw frames. Only ever read as bytes: the StreamReader around it is never used.</summary>
    public Stream Output => _process.StandardOutput.BaseStream;

    /// <summary>The input's size and rate from ffmpeg's stream line; default when stderr closed without one (always for gst-launch).</summary>
    public Task<DecoderStreamInfo> StreamInfo => _streamInfo.Task;

    /// <summary>Each frame's presentation time, by frame number (ffmpeg only).</summary>
    public FrameTimestamps Timestamps { get; } = new();

    /// <summary>Completes when the decoder reports more decoding errors than tolerated.</summary>
    public DecodeErrorMonitor Errors => _errors;

    /// <summary>The last lines of stderr, joined, for the log.</summary>
    public string StderrTail => _tail.ToString();

    /// <summary>The decoder's own words for why it stopped, short and sanitised; empty when it said nothing.</summary>
    public string Reason => _firstError is { } error ? DecoderReason.Sanitise(error) : DecoderReason.Summarise(_tail.Lines());

    /// <exception cref="System.ComponentModel.Win32Exception">The executable could not be started.</exception>
    /// <param name="command">What to run.</param>
    /// <param name="errors">Where decoding errors on stderr are counted.</param>
    /// <param name="frameBytes">One raw frame: stdout's pipe is grown to hold it (<see cref="PipeCapacity"/>).</param>
    public static DecoderProcess Start(DecoderCommand command, DecodeErrorMonitor errors, int frameBytes)
    {
        var startInfo = new ProcessStartInfo(command.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // ffmpeg reacts to keys on stdin ('q' quits); give it a closed pipe rather than our terminal.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        var decoder = new DecoderProcess(process, errors);
        process.Start();
        decoder.PipeBytes = PipeCapacity.TryGrow(process.StandardOutput.BaseStream, frameBytes);
        process.StandardInput.Close();
        decoder._stderr = StderrLineReader.Start(process.StandardError.BaseStream, decoder.OnStderrLine, $"{command.Program} stderr");
        decoder._stderr.Completion.ContinueWith(
            static (_, state) => ((TaskCompletionSource<DecoderStreamInfo>)state!).TrySetResult(default),
            decoder._streamInfo,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return decoder;
    }

    /// <summary>Kills the decoder (and anything it spawned) if it is still running.</summary>
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
        var stderr = _stderr?.Completion ?? Task.CompletedTask;
        try
        {
            await _process.WaitForExitAsync().WaitAsync(ExitWait, time).ConfigureAwait(false);
            await stderr.WaitAsync(ExitWait, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
            try
            {
                // Killed with its whole tree, nothing holds stderr open any more; the bound is only against a surprise.
                await stderr.WaitAsync(ExitWait, time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeProvider.System).ConfigureAwait(false);
        // Read synchronously by its own thread, stderr is the caller's to close (Process.Dispose leaves a stream it
        // handed out open); a restart loop would otherwise leave a pipe handle per decoder to the finalizer.
        _process.StandardError.Dispose();
        _process.Dispose();
        _streamInfo.TrySetResult(default);
    }

    // On the stderr thread, one line at a time; the end of stderr completes the stream info too.
    private void OnStderrLine(ReadOnlySpan<byte> bytes)
    {
        if (ShowInfoLine.IsShowInfo(bytes))
        {
            // Two lines per frame: parsed from a reused buffer, and kept out of the tail, which is for what the decoder had to say.
            var text = _showInfo.AsSpan(0, Encoding.UTF8.GetChars(bytes, _showInfo));
            if (ShowInfoLine.TryParse(text, _timeBase, out var frame, out var pts))
            {
                Timestamps.Add(frame, pts);
            }
            else if (ShowInfoLine.TryParseTimeBase(text, out var timeBase))
            {
                _timeBase = timeBase;
            }

            return;
        }

        var line = Encoding.UTF8.GetString(bytes); // decoders write UTF-8 (or ASCII)

        _tail.Add(line);
        _errors.Observe(line);
        if (_firstError is null && line.StartsWith("ERROR:", StringComparison.Ordinal))
        {
            _firstError = line;
        }

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
