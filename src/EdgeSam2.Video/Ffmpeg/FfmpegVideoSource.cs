using System.ComponentModel;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSam2.Video;

/// <summary>
/// A supervised ffmpeg child decoding one source into pooled RGB frames at the model's input size.
/// Live: restarted with capped back-off when it exits or stalls, newest frame wins when the consumer lags.
/// Deterministic: every frame of a file in order, the channel completes at its end, a decoder failure is thrown.
/// </summary>
public sealed class FfmpegVideoSource : IAsyncDisposable
{
    // ffmpeg prints the input's stream line before it writes a frame; this only bounds a pathological stderr.
    private static readonly TimeSpan StreamInfoWait = TimeSpan.FromSeconds(2);

    private readonly string _name;
    private readonly string _url;
    private readonly string _redactedUrl;
    private readonly SourceMode _mode;
    private readonly int _width;
    private readonly int _height;
    private readonly int _frameSize;
    private readonly string _ffmpegPath;
    private readonly IReadOnlyList<string> _arguments;
    private readonly TimeSpan _stallTimeout;
    private readonly RestartBackoff _backoff;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<VideoFrame> _channel;
    private readonly FpsMeter _fpsMeter = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private byte[]? _discard;
    private Task? _run;
    private int _runStarted;
    private int _disposed;
    private int _state = (int)VideoSourceState.Connecting;
    private long _nextSequence;
    private long _framesDecoded;
    private long _framesDropped;
    private long _restarts;
    private volatile string? _lastError;
    private long _stalls;
    private long _lastFrameTicks;
    private double _measuredFps;
    private int _processId;

    /// <summary>Validates <paramref name="options"/> (all errors at once) and allocates the frame pool; starts nothing.</summary>
    /// <exception cref="ArgumentException">The options are unusable; the message lists every problem.</exception>
    public FfmpegVideoSource(VideoSourceOptions options, ILogger<FfmpegVideoSource>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid video source options: " + string.Join(" ", errors), nameof(options));
        }

        _name = options.Name;
        _url = options.Url;
        _redactedUrl = VideoUrlRedaction.Redact(options.Url);
        _mode = options.Mode;
        _width = options.OutputWidth;
        _height = options.OutputHeight;
        _frameSize = checked(_width * _height * 3);
        _ffmpegPath = options.FfmpegPath;
        _arguments = FfmpegArguments.Build(options);
        _stallTimeout = options.StallTimeout;
        _backoff = new RestartBackoff(options.RestartMinDelay, options.RestartMaxDelay, options.HealthyPeriod);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        Pool = new FramePool(options.PoolSize, _frameSize);

        var channelOptions = new BoundedChannelOptions(options.ChannelCapacity)
        {
            SingleWriter = true,
            FullMode = _mode == SourceMode.Live ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _channel = Channel.CreateBounded<VideoFrame>(channelOptions, OnFrameDropped);
    }

    /// <summary>Decoded frames. The reader owns each frame it reads and must dispose it.</summary>
    public ChannelReader<VideoFrame> Frames => _channel.Reader;

    /// <summary>The buffers frames live in: <c>Outstanding</c> shows what is held by the channel and the consumer.</summary>
    public FramePool Pool { get; }

    /// <summary>The running ffmpeg's process id; null when none is running.</summary>
    public int? DecoderProcessId => Volatile.Read(ref _processId) is var id && id != 0 ? id : null;

    /// <summary>Raised on every state change, with the counters at that moment, on the supervising thread: keep handlers short.</summary>
    public event EventHandler<VideoSourceStats>? StateChanged;

    /// <summary>A consistent-enough snapshot of the counters (each field is read atomically).</summary>
    public VideoSourceStats Stats
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastFrameTicks);
            return new VideoSourceStats(
                (VideoSourceState)Volatile.Read(ref _state),
                Interlocked.Read(ref _framesDecoded),
                Interlocked.Read(ref _framesDropped),
                Interlocked.Read(ref _restarts),
                Interlocked.Read(ref _stalls),
                ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
                Volatile.Read(ref _measuredFps),
                _lastError);
        }
    }

    /// <summary>
    /// Runs and supervises the decoder until <paramref name="cancellationToken"/> fires or the source is disposed
    /// (completes normally, channel completed, leftovers disposed), or — Deterministic — until the end of the file
    /// (completes normally, channel completed for the reader to drain).
    /// </summary>
    /// <exception cref="VideoSourceException">A Deterministic decoder failed or stalled, or ffmpeg could not be started; the channel completes with the same error.</exception>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (Interlocked.Exchange(ref _runStarted, 1) == 1)
        {
            throw new InvalidOperationException("RunAsync may be called once per source.");
        }

        _run = RunCoreAsync(cancellationToken);
        return _run;
    }

    /// <summary>Stops supervision, kills ffmpeg and waits for it to exit, and disposes frames left in the channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposeCts.CancelAsync().ConfigureAwait(false);
        if (_run is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (VideoSourceException)
            {
                // Already surfaced to RunAsync's caller.
            }
        }

        // _disposeCts is left undisposed on purpose: a RunAsync racing this call must still see it cancelled.
        CompleteAndDrain(null);
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        // Callers start the source and go on to read: return to them before ffmpeg is even spawned.
        await Task.Yield();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        try
        {
            await SuperviseAsync(linked.Token).ConfigureAwait(false);
            SetState(VideoSourceState.Stopped);
            _channel.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            SetState(VideoSourceState.Stopped);
            CompleteAndDrain(null);
            Log.Stopped(_logger, _name, Interlocked.Read(ref _framesDecoded), Interlocked.Read(ref _framesDropped), Interlocked.Read(ref _restarts));
        }
        catch (VideoSourceException e)
        {
            Log.Failed(_logger, _name, e);
            SetState(VideoSourceState.Failed);

            // The reader still gets the frames decoded before the failure, then this error.
            _channel.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var startTime = _time.GetUtcNow();
        while (true)
        {
            var session = await RunDecoderAsync(startTime, cancellationToken).ConfigureAwait(false);
            if (_mode == SourceMode.Deterministic)
            {
                if (!session.Stalled && session.ExitCode == 0)
                {
                    Log.EndOfFile(_logger, _name, _redactedUrl, session.Frames);
                    return;
                }

                var reason = session.Stalled
                    ? $"no frame from ffmpeg for {_stallTimeout}."
                    : $"ffmpeg exited with code {session.ExitCode} after {session.Frames} frames.";
                throw new VideoSourceException(_redactedUrl, reason, session.Stalled ? null : session.ExitCode, session.StderrTail);
            }

            SetState(session.Stalled ? VideoSourceState.Stalled : VideoSourceState.Connecting);
            var delay = _backoff.NextDelay(session.StreamedFor);
            Log.DecoderRestarting(_logger, _name, delay, _backoff.ConsecutiveFailures);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _restarts);
        }
    }

    private async Task<DecoderSession> RunDecoderAsync(DateTimeOffset startTime, CancellationToken cancellationToken)
    {
        SetState(VideoSourceState.Connecting);
        cancellationToken.ThrowIfCancellationRequested();
        FfmpegProcess decoder;
        try
        {
            decoder = FfmpegProcess.Start(_ffmpegPath, _arguments);
        }
        catch (Win32Exception e)
        {
            // A missing or unrunnable ffmpeg is configuration, not a camera outage: retrying cannot help.
            throw new VideoSourceException(_redactedUrl, $"cannot start '{_ffmpegPath}': {e.Message}", null, "", e);
        }

        Volatile.Write(ref _processId, decoder.Id);
        try
        {
            await using var owned = decoder.ConfigureAwait(false);
            Log.DecoderStarted(_logger, _name, decoder.Id, _redactedUrl);
            var watchdog = new ActivityWatchdog(_time, _stallTimeout);
            watchdog.Touch();

            // Killing is how a read blocked on the pipe is interrupted: ffmpeg's exit closes stdout and the read returns.
            using var killOnStop = cancellationToken.Register(static state => ((FfmpegProcess)state!).Kill(), decoder);
            using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progress = new ReadProgress();
            var reading = ReadFramesAsync(decoder, watchdog, startTime, progress, cancellationToken);
            var stall = watchdog.WaitForStallAsync(watchCts.Token);
            var stalled = false;
            if (await Task.WhenAny(reading, stall).ConfigureAwait(false) == stall && stall.IsCompletedSuccessfully)
            {
                stalled = true;
                Interlocked.Increment(ref _stalls);
                SetState(VideoSourceState.Stalled);
                Log.DecoderStalled(_logger, _name, decoder.Id, _stallTimeout, decoder.StderrTail);
                _lastError = $"no frames for {_stallTimeout.TotalSeconds:0.#} s";
                decoder.Kill();
            }

            await watchCts.CancelAsync().ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (IOException) when (stalled || cancellationToken.IsCancellationRequested)
            {
                // The pipe broke because we killed ffmpeg.
            }

            try
            {
                await stall.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The watch ends with the session.
            }

            cancellationToken.ThrowIfCancellationRequested();
            var exitCode = await decoder.WaitForExitAsync(_time).ConfigureAwait(false);
            _fpsMeter.Break();
            var tail = decoder.StderrTail;
            if (!stalled)
            {
                if (exitCode == 0)
                {
                    Log.DecoderEnded(_logger, _name, decoder.Id, exitCode, progress.Frames);
                }
                else
                {
                    Log.DecoderExited(_logger, _name, decoder.Id, exitCode, progress.Frames, tail);
                    _lastError = $"ffmpeg exited with code {exitCode}: {tail}";
                }
            }

            var streamedFor = progress.FirstFrameTimestamp == 0 ? TimeSpan.Zero : _time.GetElapsedTime(progress.FirstFrameTimestamp);
            return new DecoderSession(stalled, exitCode, progress.Frames, streamedFor, tail);
        }
        finally
        {
            Volatile.Write(ref _processId, 0);
        }
    }

    private async Task ReadFramesAsync(FfmpegProcess decoder, ActivityWatchdog watchdog, DateTimeOffset startTime, ReadProgress progress, CancellationToken cancellationToken)
    {
        var output = decoder.Output;
        var source = default(DecoderStreamInfo);
        while (true)
        {
            byte[]? buffer;
            if (_mode == SourceMode.Deterministic)
            {
                watchdog.Pause();
                buffer = await Pool.RentAsync(cancellationToken).ConfigureAwait(false);
            }
            else if (!Pool.TryRent(out buffer))
            {
                buffer = null;
            }

            // With no buffer free the frame must still be consumed from the pipe, or ffmpeg would block behind it.
            var target = buffer ?? (_discard ??= new byte[_frameSize]);
            watchdog.Touch();
            int read;
            try
            {
                read = await output.ReadAtLeastAsync(target.AsMemory(0, _frameSize), _frameSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                if (buffer is not null)
                {
                    Pool.Return(buffer);
                }

                throw;
            }

            if (read < _frameSize)
            {
                if (buffer is not null)
                {
                    Pool.Return(buffer);
                }

                if (read > 0)
                {
                    Log.PartialFrame(_logger, _name, read);
                }

                return;
            }

            var timestamp = _time.GetTimestamp();
            if (progress.Frames == 0)
            {
                progress.FirstFrameTimestamp = timestamp;
                source = await ReadStreamInfoAsync(decoder, cancellationToken).ConfigureAwait(false);
                SetState(VideoSourceState.Streaming);
            }

            progress.Frames++;
            var sequence = _nextSequence++;
            var now = _time.GetUtcNow();
            Interlocked.Increment(ref _framesDecoded);
            Interlocked.Exchange(ref _lastFrameTicks, now.UtcTicks);
            _fpsMeter.Record(timestamp, _time);
            Volatile.Write(ref _measuredFps, _fpsMeter.Fps);

            if (buffer is null)
            {
                Interlocked.Increment(ref _framesDropped);
                Log.FrameDroppedNoBuffer(_logger, _name, sequence);
                continue;
            }

            var captureTime = _mode == SourceMode.Deterministic && source.FrameRate > 0
                ? startTime + TimeSpan.FromTicks((long)Math.Round(sequence * TimeSpan.TicksPerSecond / source.FrameRate))
                : now;
            var frame = new VideoFrame(Pool, buffer, sequence, captureTime, _width, _height, source.Width, source.Height) { ReadTimestamp = timestamp };
            Log.FrameRead(_logger, _name, sequence);
            if (_mode == SourceMode.Deterministic)
            {
                watchdog.Pause();
                try
                {
                    await _channel.Writer.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }
            }
            else if (!_channel.Writer.TryWrite(frame))
            {
                // Only after completion: DropOldest never refuses otherwise.
                frame.Dispose();
            }
        }
    }

    private async Task<DecoderStreamInfo> ReadStreamInfoAsync(FfmpegProcess decoder, CancellationToken cancellationToken)
    {
        try
        {
            var info = await decoder.StreamInfo.WaitAsync(StreamInfoWait, _time, cancellationToken).ConfigureAwait(false);
            if (info.Width == 0)
            {
                Log.StreamInfoMissing(_logger, _name);
            }

            return info;
        }
        catch (TimeoutException)
        {
            Log.StreamInfoMissing(_logger, _name);
            return default;
        }
    }

    private void OnFrameDropped(VideoFrame frame)
    {
        frame.Dispose();
        Interlocked.Increment(ref _framesDropped);
    }

    private void CompleteAndDrain(Exception? error)
    {
        _channel.Writer.TryComplete(error);
        while (_channel.Reader.TryRead(out var frame))
        {
            frame.Dispose();
        }
    }

    private void SetState(VideoSourceState state)
    {
        if (Interlocked.Exchange(ref _state, (int)state) == (int)state)
        {
            return;
        }

        Log.StateChanged(_logger, _name, state);
        StateChanged?.Invoke(this, Stats);
    }

    private sealed class ReadProgress
    {
        public long Frames { get; set; }

        public long FirstFrameTimestamp { get; set; }
    }

    private readonly record struct DecoderSession(bool Stalled, int ExitCode, long Frames, TimeSpan StreamedFor, string StderrTail);
}
