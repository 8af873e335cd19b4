using System.ComponentModel;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSam2.Video;

/// <summary>
/// A supervised decoder child (ffmpeg or gst-launch, <see cref="DecoderCommand"/>) decoding one source into pooled RGB
/// frames at the model's input size. Live: restarted when it exits, stalls (no frame within the stall time-out) or
/// misbehaves (a flood of decoding errors), after a capped, jittered back-off that starts again from the minimum as
/// soon as frames flow; a file without <c>Loop</c> ends <see cref="VideoSourceState.Finished"/>, one with it is
/// played again at once. Deterministic: every frame of a file in order, the channel completes at its end, a decoder
/// failure is thrown.
/// </summary>
public sealed class DecoderVideoSource : IVideoSource
{
    // ffmpeg prints the input's stream line before it writes a frame; this only bounds a pathological stderr.
    private static readonly TimeSpan StreamInfoWait = TimeSpan.FromSeconds(2);

    // A frame's showinfo line is written before the frame itself; this only bounds a stderr reader that lags.
    private static readonly TimeSpan PtsWait = TimeSpan.FromMilliseconds(500);

    private static readonly TimeSpan DecodeErrorWindow = TimeSpan.FromSeconds(10);

    private readonly string _name;
    private readonly string _url;
    private readonly string _redactedUrl;
    private readonly bool _probesSource;
    private readonly TimeSpan _probeTimeout;
    private readonly SourceMode _mode;
    private readonly bool _file;
    private readonly bool _loop;
    private readonly int _width;
    private readonly int _height;
    private readonly int _frameSize;
    private readonly DecoderCommand _command;

    // GStreamer's own RTSP pipeline, whose decoder the probed codec names: the command for each codec with a named
    // decoder (GStreamerArguments); _command (decodebin) for any other.
    private readonly bool _needsCodec;
    private readonly Dictionary<string, DecoderCommand> _commandByCodec = new(StringComparer.Ordinal);
    private readonly TimeSpan _stallTimeout;
    private readonly int _maxDecodeErrors;
    private readonly RestartBackoff _backoff;
    private readonly SupervisionHistory _history;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<VideoFrame> _channel;
    private readonly FpsMeter _fpsMeter = new();
    private readonly CaptureTimeline _timeline;
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly Lock _stateGate = new();
    private readonly byte[] _gdpScratch = new byte[4096]; // GDP headers, and the events between frames skipped through it
    private byte[]? _discard;
    private Task? _run;
    private int _runStarted;
    private int _disposed;
    private int _state = (int)VideoSourceState.Connecting;
    private long _nextSequence;
    private long _framesDecoded;
    private long _framesDropped;
    private long _restarts;
    private long _loops;
    private volatile string? _lastError;
    private long _stalls;
    private long _lastFrameTicks;
    private long _downSince;
    private double _measuredFps;
    private int _processId;
    private bool _probeFailureWarned;
    private volatile string? _probeReason; // ffprobe's reason when the last probe failed, else null
    private volatile string _probedCodec = ""; // the stream's codec from the last probe that found one
    private DecoderStreamInfo _lastStream;
    private string? _reasonShown;

    /// <summary>Validates <paramref name="options"/> (all errors at once) and allocates the frame pool; starts nothing.</summary>
    /// <param name="options">The source.</param>
    /// <param name="logger">Where state changes go; none when null.</param>
    /// <param name="timeProvider">The clock (tests pass their own).</param>
    /// <param name="history">Where restarts and stalls are recorded; the camera passes its own so they outlive a pause.</param>
    /// <exception cref="ArgumentException">The options are unusable; the message lists every problem.</exception>
    public DecoderVideoSource(VideoSourceOptions options, ILogger? logger = null, TimeProvider? timeProvider = null, SupervisionHistory? history = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid video source options: " + string.Join(" ", errors), nameof(options));
        }

        _name = options.Name;
        _url = options.Url;
        _logger = logger ?? NullLogger.Instance;

        // Auto's check of GStreamer runs a few short processes, once per process (DecoderChoice).
        var (decoder, why) = DecoderChoice.Resolve(options, () => DecoderChoice.GStreamerPlaysRtsp(options.GstLaunchPath));
        if (options.Decoder == VideoDecoder.Auto)
        {
            Log.DecoderChosen(_logger, _name, decoder, why);
        }

        // gst-launch reads the URL itself only when the pipeline is built from it or names it; the probe before each
        // start (a camera's network time-out, and 5 s more for ffprobe's own start) is for those.
        _probesSource = decoder == VideoDecoder.GStreamer
            && (options.GStreamerPipeline.Length == 0 || options.GStreamerPipeline.Contains("{url}", StringComparison.Ordinal));
        _needsCodec = decoder == VideoDecoder.GStreamer && GStreamerArguments.DecoderFollowsCodec(options);
        _probeTimeout = options.NetworkTimeout + TimeSpan.FromSeconds(5);
        _redactedUrl = VideoUrlRedaction.Redact(options.Url);
        _mode = options.Mode;
        _file = VideoUrl.Classify(options.Url) == VideoUrlKind.File;
        _loop = options.Loop;
        _width = options.OutputWidth;
        _height = options.OutputHeight;
        _frameSize = checked(_width * _height * 3);
        _command = DecoderCommand.For(options, decoder);
        if (_needsCodec)
        {
            foreach (var codec in GStreamerArguments.CodecsWithNamedDecoder)
            {
                _commandByCodec[codec] = DecoderCommand.For(options, decoder, codec);
            }
        }
        _stallTimeout = options.StallTimeout;
        _maxDecodeErrors = options.MaxDecodeErrors;
        _backoff = new RestartBackoff(options.RestartMinDelay, options.RestartMaxDelay, options.RestartJitter);
        _time = timeProvider ?? TimeProvider.System;
        _history = history ?? new SupervisionHistory(_time);
        _timeline = new CaptureTimeline(_mode == SourceMode.Deterministic, options.CaptureAnchor ?? _time.GetUtcNow());
        Pool = new FramePool(options.PoolSize, _frameSize);

        var channelOptions = new BoundedChannelOptions(options.ChannelCapacity)
        {
            SingleWriter = true,
            FullMode = _mode == SourceMode.Live ? BoundedChannelFullMode.DropOldest : BoundedChannelFullMode.Wait,
        };
        _channel = Channel.CreateBounded<VideoFrame>(channelOptions, OnFrameDropped);
    }

    /// <inheritdoc/>
    public ChannelReader<VideoFrame> Frames => _channel.Reader;

    /// <summary>The buffers frames live in: <c>Outstanding</c> shows what is held by the channel and the consumer.</summary>
    public FramePool Pool { get; }

    /// <summary>The running decoder's process id; null when none is running.</summary>
    public int? DecoderProcessId => Volatile.Read(ref _processId) is var id && id != 0 ? id : null;

    /// <summary>Raised on every change of state or reason, with the counters at that moment, on the supervising thread: keep handlers short.</summary>
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
                _lastError,
                Interlocked.Read(ref _loops));
        }
    }

    /// <summary>
    /// Runs and supervises the decoder until <paramref name="cancellationToken"/> fires or the source is disposed
    /// (completes normally, channel completed, leftovers disposed), or until a file ends (Deterministic, or Live
    /// without Loop: completes normally, state <see cref="VideoSourceState.Finished"/>, channel completed for the
    /// reader to drain).
    /// </summary>
    /// <exception cref="VideoSourceException">A Deterministic decoder failed or stalled, or the decoder could not be started; the channel completes with the same error.</exception>
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

    /// <summary>Stops supervision, kills the decoder and waits for it to exit, and disposes frames left in the channel.</summary>
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
        // Callers start the source and go on to read: return to them before the decoder is even spawned.
        await Task.Yield();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        try
        {
            await SuperviseAsync(linked.Token).ConfigureAwait(false);
            SetState(VideoSourceState.Finished, _lastError);
            _channel.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            SetState(VideoSourceState.Stopped, _lastError);
            CompleteAndDrain(null);
            Log.Stopped(_logger, _name, Interlocked.Read(ref _framesDecoded), Interlocked.Read(ref _framesDropped), Interlocked.Read(ref _restarts));
        }
        catch (VideoSourceException e)
        {
            Log.Failed(_logger, _name, e.Message);
            SetState(VideoSourceState.Failed, _lastError);

            // The reader still gets the frames decoded before the failure, then this error.
            _channel.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task SuperviseAsync(CancellationToken cancellationToken)
    {
        var nextPass = false;
        while (true)
        {
            var session = await RunDecoderAsync(nextPass, cancellationToken).ConfigureAwait(false);
            nextPass = false;
            var endOfFile = _file && session.End == SessionEnd.Exited && session.ExitCode == 0;
            if (_mode == SourceMode.Deterministic)
            {
                if (endOfFile)
                {
                    Log.EndOfFile(_logger, _name, _redactedUrl, session.Frames);
                    _lastError = $"end of file after {Interlocked.Read(ref _framesDecoded)} frames";
                    return;
                }

                _lastError = session.Reason;
                throw new VideoSourceException(_redactedUrl, session.Reason, session.End == SessionEnd.Exited ? session.ExitCode : null, session.StderrTail);
            }

            if (endOfFile && session.Frames > 0)
            {
                // A file's normal end is not a failure: no back-off, no reconnect counted.
                if (!_loop)
                {
                    Log.EndOfFile(_logger, _name, _redactedUrl, session.Frames);
                    _lastError = $"end of file after {Interlocked.Read(ref _framesDecoded)} frames";
                    return;
                }

                var loops = Interlocked.Increment(ref _loops);
                Log.Looped(_logger, _name, loops, session.Frames);
                nextPass = true;
                continue;
            }

            _lastError = session.Reason;
            SetState(session.End == SessionEnd.Stalled ? VideoSourceState.Stalled : VideoSourceState.Connecting, session.Reason);
            var delay = _backoff.NextDelay();
            Log.DecoderRestarting(_logger, _name, delay, _backoff.ConsecutiveFailures);
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _restarts);
            _history.RecordReconnect();
        }
    }

    // nextPass: a looping file starting its next pass stays Streaming, so its status does not flicker to connecting once a pass.
    private async Task<DecoderSession> RunDecoderAsync(bool nextPass, CancellationToken cancellationToken)
    {
        if (!nextPass && Volatile.Read(ref _state) != (int)VideoSourceState.Stalled)
        {
            SetState(VideoSourceState.Connecting, _lastError);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var errors = new DecodeErrorMonitor(_time, _maxDecodeErrors, DecodeErrorWindow);
        // A looping file's next pass is the same file: its size is known.
        var probed = !_probesSource ? default : nextPass ? _lastStream : await ProbeSourceAsync(cancellationToken).ConfigureAwait(false);
        if (_needsCodec && _probedCodec.Length == 0)
        {
            // Never probed: decodebin, the pipeline for an unknown codec, would hand on the frames before the first key
            // frame as flat grey (GStreamerArguments.CodecsWithNamedDecoder). Not started; the next try probes again.
            return new DecoderSession(SessionEnd.Exited, ExitCode: 1, Frames: 0, _probeReason ?? "ffprobe could not read the stream's codec", "");
        }

        DecoderProcess decoder;
        try
        {
            decoder = DecoderProcess.Start(_commandByCodec.GetValueOrDefault(_probedCodec, _command), errors, _frameSize);
        }
        catch (Win32Exception e)
        {
            // A missing or unrunnable decoder is configuration, not a camera outage: retrying cannot help.
            _lastError = $"cannot start '{_command.Executable}': {e.Message}";
            throw new VideoSourceException(_redactedUrl, _lastError, null, "", e);
        }

        Volatile.Write(ref _processId, decoder.Id);
        try
        {
            await using var owned = decoder.ConfigureAwait(false);
            Log.DecoderStarted(_logger, _name, _command.Program, decoder.Id, _redactedUrl, decoder.PipeBytes);
            _timeline.BeginSession();
            var watchdog = new ActivityWatchdog(_time, _stallTimeout);
            watchdog.Touch();

            // Killing is how a read blocked on the pipe is interrupted: the decoder's exit closes stdout and the read returns.
            using var killOnStop = cancellationToken.Register(static state => ((DecoderProcess)state!).Kill(), decoder);
            using var watchCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progress = new ReadProgress();
            var reading = ReadFramesAsync(decoder, watchdog, progress, probed, cancellationToken);
            var stall = watchdog.WaitForStallAsync(watchCts.Token);
            var first = await Task.WhenAny(reading, stall, errors.Tripped).ConfigureAwait(false);
            var end = SessionEnd.Exited;
            var reason = "";
            if (first == stall && stall.IsCompletedSuccessfully)
            {
                end = SessionEnd.Stalled;
                Interlocked.Increment(ref _stalls);
                _history.RecordStall();
                var said = decoder.Reason;
                reason = $"no frame for {_stallTimeout.TotalSeconds:0.#} s" + (said.Length > 0 ? ": " + said : "");
                Log.DecoderStalled(_logger, _name, decoder.Id, _stallTimeout, decoder.StderrTail);
                decoder.Kill();
            }
            else if (first == errors.Tripped)
            {
                end = SessionEnd.Misbehaved;
                reason = DecoderReason.Sanitise($"restarted after more than {_maxDecodeErrors} decoding errors in {DecodeErrorWindow.TotalSeconds:0} s: {errors.LastError}");
                Log.DecoderMisbehaved(_logger, _name, decoder.Id, _maxDecodeErrors, errors.LastError);
                decoder.Kill();
            }

            await watchCts.CancelAsync().ConfigureAwait(false);
            try
            {
                await reading.ConfigureAwait(false);
            }
            catch (IOException) when (end != SessionEnd.Exited || cancellationToken.IsCancellationRequested)
            {
                // The pipe broke because we killed the decoder.
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
            if (end == SessionEnd.Exited)
            {
                var said = decoder.Reason;
                if (exitCode != 0 && progress.Frames == 0 && !nextPass && _probeReason is { Length: > 0 } probeSaid)
                {
                    said = probeSaid; // the probe just before this start failed too, in plainer words
                }

                reason = progress.Failure is { } failure ? failure
                    : exitCode == 0 ? "the stream ended" + (said.Length > 0 ? ": " + said : "")
                    : said.Length > 0 ? said : $"{_command.Program} exited with code {exitCode}";
                Log.DecoderExited(_logger, _name, _command.Program, decoder.Id, exitCode, progress.Frames, tail);
            }

            return new DecoderSession(end, exitCode, progress.Frames, reason, tail);
        }
        finally
        {
            Volatile.Write(ref _processId, 0);
        }
    }

    // probed: the source as probed before the decoder started (a decoder that prints no stream line); else default.
    private async Task ReadFramesAsync(DecoderProcess decoder, ActivityWatchdog watchdog, ReadProgress progress, DecoderStreamInfo probed, CancellationToken cancellationToken)
    {
        var output = decoder.Output;
        var source = default(DecoderStreamInfo);
        Task<DecoderStreamInfo>? probing = null;
        var ptsWait = _command.ReportsPts ? PtsWait : TimeSpan.Zero;
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

            // With no buffer free the frame must still be consumed from the pipe, or the decoder would block behind it.
            var target = buffer ?? (_discard ??= new byte[_frameSize]);
            watchdog.Touch();
            int read;
            double? packetPts = null;
            try
            {
                if (_command.GdpFramed)
                {
                    var packet = await GdpPacket.ReadBufferHeaderAsync(output, _gdpScratch, cancellationToken).ConfigureAwait(false);
                    if (packet is not { } header || header.Length != _frameSize)
                    {
                        if (packet is { } wrong)
                        {
                            Log.UnexpectedFrameSize(_logger, _name, wrong.Length, _frameSize);
                            progress.Failure = $"{_command.Program} sent a frame of {wrong.Length} bytes where {_frameSize} were expected";
                            decoder.Kill();
                        }

                        Return(buffer);
                        return;
                    }

                    packetPts = header.PtsSeconds;
                }

                read = await output.ReadAtLeastAsync(target.AsMemory(0, _frameSize), _frameSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException e)
            {
                // Not GDP, or cut inside a packet: this session's output cannot be followed; the supervisor restarts it.
                // A decoder killed on purpose (stop, stall, misbehaviour) may be cut mid-packet: nothing to warn about.
                if (!cancellationToken.IsCancellationRequested && decoder.Running)
                {
                    Log.BadFraming(_logger, _name, e.Message);
                    progress.Failure = $"{_command.Program}'s output cannot be followed: {e.Message}";
                }

                decoder.Kill();
                Return(buffer);
                return;
            }
            catch
            {
                Return(buffer);
                throw;
            }

            if (read < _frameSize)
            {
                Return(buffer);
                if (read > 0)
                {
                    Log.PartialFrame(_logger, _name, read);
                }

                return;
            }

            var arrival = _time.GetUtcNow();
            var timestamp = _time.GetTimestamp();
            if (progress.Frames == 0)
            {
                source = _command.ReportsPts ? await ReadStreamInfoAsync(decoder, cancellationToken).ConfigureAwait(false) : probed;
                OnFirstFrame(source);
                if (_probesSource && source.Width == 0)
                {
                    // The probe failed before the decoder connected (a server back between the two): the stream is up
                    // now, so probe it again beside the frames and give them its size once known.
                    probing = ProbeSourceAsync(cancellationToken);
                }
            }
            else if (probing is { IsCompleted: true })
            {
                source = await probing.ConfigureAwait(false);
                probing = null;
                NoteSourceSize(source);
            }

            var pts = packetPts;
            if (ptsWait > TimeSpan.Zero)
            {
                pts = await decoder.Timestamps.TakeAsync(progress.Frames, ptsWait, cancellationToken).ConfigureAwait(false);
                if (pts is null)
                {
                    // Either the stream has no PTS or stderr lags: do not wait on every frame of this session.
                    ptsWait = TimeSpan.FromTicks(1);
                }
            }

            var fileFrame = progress.Frames;
            progress.Frames++;
            var sequence = _nextSequence++;
            Interlocked.Increment(ref _framesDecoded);
            Interlocked.Exchange(ref _lastFrameTicks, arrival.UtcTicks);
            _fpsMeter.Record(timestamp, _time);
            Volatile.Write(ref _measuredFps, _fpsMeter.Fps);

            if (buffer is null)
            {
                Interlocked.Increment(ref _framesDropped);
                Log.FrameDroppedNoBuffer(_logger, _name, sequence);
                continue;
            }

            var (captureTime, clock) = _timeline.Stamp(pts, fileFrame, source.FrameRate, arrival);
            var frame = new VideoFrame(Pool, buffer, sequence, captureTime, _width, _height, source.Width, source.Height, clock, Interlocked.Read(ref _loops)) { ReadTimestamp = timestamp };
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

    private void Return(byte[]? buffer)
    {
        if (buffer is not null)
        {
            Pool.Return(buffer);
        }
    }

    /// <summary>Frames flow again: the back-off starts over, and the state change is logged once, at the level it deserves.</summary>
    private void OnFirstFrame(DecoderStreamInfo stream)
    {
        _backoff.Reset();
        NoteSourceSize(stream);
        SetState(VideoSourceState.Streaming, null);
    }

    /// <summary>Keeps the source's size when known, warning when it is not the last session's.</summary>
    private void NoteSourceSize(DecoderStreamInfo stream)
    {
        if (_lastStream.Width > 0 && stream.Width > 0 && (stream.Width != _lastStream.Width || stream.Height != _lastStream.Height))
        {
            Log.ResolutionChanged(_logger, _name, stream.Width, stream.Height, _lastStream.Width, _lastStream.Height);
        }

        if (stream.Width > 0)
        {
            _lastStream = stream;
        }
    }

    /// <summary>
    /// gst-launch prints no stream line, so the source's size and rate come from ffprobe before each start: the frames
    /// carry them (boxes and masks are in source pixels) and a camera that comes back at another size is noticed. A
    /// probe that fails (a server not up yet, a URL ffprobe cannot read) leaves them unknown: 0, or a later probe's.
    /// </summary>
    private async Task<DecoderStreamInfo> ProbeSourceAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_probeTimeout);
        string reason;
        try
        {
            var info = await VideoProbe.ProbeAsync(_url, timeout.Token).ConfigureAwait(false);
            _probeReason = null;
            if (info.Codec.Length > 0)
            {
                _probedCodec = info.Codec;
            }

            if (info.Width > 0 && info.Height > 0)
            {
                _probeFailureWarned = false;
                return new DecoderStreamInfo(info.Width, info.Height, info.FrameRate);
            }

            reason = "ffprobe found no frame size";
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // ffprobe's words for a camera it cannot reach ("Connection refused", "404 Not Found") are plainer than
            // GStreamer's ("Could not open resource for reading and writing"): the session's reason if it fails too.
            var timedOut = $"no answer to the probe within {_probeTimeout.TotalSeconds:0} s (NetworkTimeoutSeconds + 5 s)";
            _probeReason = e switch
            {
                VideoProbeException probe => DecoderReason.Summarise(probe.ProbeMessage.Split('\n')),
                OperationCanceledException => timedOut,
                _ => null,
            };
            reason = e switch
            {
                VideoProbeException => e.Message,
                OperationCanceledException => timedOut,
                _ => DecoderReason.Sanitise(e.Message),
            };
        }

        // Once until a probe succeeds again: a server that is down fails every restart's probe too.
        var level = _probeFailureWarned ? LogLevel.Debug : LogLevel.Warning;
        _probeFailureWarned = true;
        Log.SourceProbeFailed(_logger, level, _name, reason);
        return default;
    }

    private async Task<DecoderStreamInfo> ReadStreamInfoAsync(DecoderProcess decoder, CancellationToken cancellationToken)
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

    /// <summary>
    /// Changes state and reason; logs the change once: losing a stream is a warning, getting it back information, a
    /// failure that repeats with the same reason only debug.
    /// </summary>
    private void SetState(VideoSourceState state, string? reason)
    {
        VideoSourceState previous;
        string? previousReason;
        lock (_stateGate)
        {
            previous = (VideoSourceState)_state;
            previousReason = _reasonShown;
            if (previous == state && previousReason == reason)
            {
                return;
            }

            _state = (int)state;
            _reasonShown = reason;
        }

        var now = _time.GetTimestamp();
        switch (state)
        {
            case VideoSourceState.Streaming:
                var down = Interlocked.Exchange(ref _downSince, 0);
                if (down != 0)
                {
                    Log.StreamingAgain(_logger, _name, _time.GetElapsedTime(down, now), _lastStream.Width, _lastStream.Height);
                }
                else
                {
                    Log.StreamingStarted(_logger, _name, _command.Program, _lastStream.Width, _lastStream.Height, _lastStream.FrameRate);
                }

                break;
            case VideoSourceState.Connecting or VideoSourceState.Stalled when reason is not null:
                Interlocked.CompareExchange(ref _downSince, Math.Max(1, now), 0);
                // The first failure since the start or since frames last flowed is the one worth a warning.
                if (previousReason is null)
                {
                    Log.SourceDown(_logger, _name, StateName(state), reason);
                }
                else if (previousReason != reason)
                {
                    Log.SourceDownOtherReason(_logger, _name, StateName(state), reason);
                }
                else
                {
                    Log.SourceStillDown(_logger, _name, StateName(state), reason);
                }

                break;
            case VideoSourceState.Finished:
                Log.SourceFinished(_logger, _name, reason ?? "");
                break;
            default:
                Log.StateChanged(_logger, _name, state);
                break;
        }

        StateChanged?.Invoke(this, Stats);
    }

    private static string StateName(VideoSourceState state) => state == VideoSourceState.Stalled ? "stalled" : "connecting";

    private sealed class ReadProgress
    {
        public long Frames { get; set; }

        // Why the reader killed the decoder (output it cannot follow), which is the session's reason over the exit's.
        public string? Failure { get; set; }
    }

    private enum SessionEnd
    {
        Exited,
        Stalled,
        Misbehaved,
    }

    private readonly record struct DecoderSession(SessionEnd End, int ExitCode, long Frames, string Reason, string StderrTail);
}
