using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>The frame loop: waits until enabled, runs the video source, applies due commands to their frame, tracks.</summary>
internal sealed partial class CameraPipeline
{
    private readonly List<VideoFrame> _passedOver = []; // SkipToNewest's scratch list, reused
    private long _newestTaken = -1; // Live: the highest index handed out, skipped frames included

    /// <summary>Live frames passed over for a newer one when taken (part of <c>dropped</c>).</summary>
    internal long SkippedStale => Interlocked.Read(ref _skippedStale);

    private async Task<CancellationTokenSource> WaitEnabledAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_enabled)
                {
                    _session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    return _session;
                }

                signal = _enabledSignal.Task;
            }

            WakeStatus();
            await signal.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<SessionEnd> RunSessionAsync(Sam2Tracker tracker, int inputSize, CancellationToken token)
    {
        var source = CreateSource(inputSize);
        if (!_deterministic)
        {
            // A new Live decoder counts from 0 again; the camera's sequence keeps increasing. Frames from before a
            // pause or a failure are not carried across the gap for late prompts.
            _offset = Math.Max(_lastIndex, _newestTaken) + 1; // a number given to a frame is never given again
            _ring?.Clear();
        }

        _sourceState = StatusMessage.States.Connecting;
        source.StateChanged += OnSourceStateChanged;
        _source = source;
        WakeStatus();
        Task run = Task.CompletedTask;
        var frames = source.Frames;
        _frames = frames;
        try
        {
            run = source.RunAsync(token);
            while (true)
            {
                // The frame taken ahead while the last one was tracked (PrepareNext) comes first.
                var frame = TakeAhead();
                if (frame is null)
                {
                    if (!await frames.WaitToReadAsync(token).ConfigureAwait(false))
                    {
                        break;
                    }

                    if (!frames.TryRead(out frame))
                    {
                        continue;
                    }
                }

                if (!_deterministic)
                {
                    frame = SkipToNewest(frames, frame);
                    _newestTaken = Math.Max(_newestTaken, _offset + frame.Sequence);
                }

                try
                {
                    await TrackFrameAsync(tracker, frame, token).ConfigureAwait(false);
                }
                finally
                {
                    await SettleAheadAsync(frame).ConfigureAwait(false);
                    frame.Dispose();
                }
            }

            await run.ConfigureAwait(false);
            return source.Stats.State == VideoSourceState.Finished ? SessionEnd.Finished : SessionEnd.Failed;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return SessionEnd.Stopped;
        }
        catch (Exception e) when (e is VideoSourceException or ChannelClosedException)
        {
            Log.SourceFailed(_logger, Id, e.InnerException?.Message ?? e.Message);
            _reason = source.Stats.LastError ?? _reason;
            _sourceState = StatusMessage.States.Stalled;
            return SessionEnd.Failed;
        }
        finally
        {
            // A frame taken ahead and never tracked goes back to the source's pool (once its normalisation is done).
            var ahead = TakeAhead();
            await SettleAheadAsync(ahead).ConfigureAwait(false);
            ahead?.Dispose();
            _frames = null;
            await run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            source.StateChanged -= OnSourceStateChanged;
            var stats = source.Stats;
            Interlocked.Add(ref _droppedBefore, stats.FramesDropped);
            Interlocked.Add(ref _restartsBefore, stats.Restarts);
            _source = null;
            await source.DisposeAsync().ConfigureAwait(false);
            WakeStatus();
        }
    }

    /// <summary>
    /// Live: the newest frame wins when a frame is taken, too. After a slow frame the source's channel
    /// (<c>ChannelCapacity</c> frames) can hold frames older than the newest; tracking them in turn would publish each
    /// one stale and keep the camera behind for as many frames. They are dropped (counted in <c>dropped</c>), so a stall
    /// costs one late message, not a queue of them. No pool thread reads them: a Live camera prepares no frame ahead.
    /// </summary>
    private VideoFrame SkipToNewest(ChannelReader<VideoFrame> frames, VideoFrame frame)
    {
        var newest = TakeNewest(frames, frame, _passedOver);
        foreach (var older in _passedOver)
        {
            older.Dispose();
            Interlocked.Increment(ref _skippedStale);
        }

        _passedOver.Clear();
        return newest;
    }

    /// <summary>
    /// The newest of <paramref name="frame"/> and the frames <paramref name="frames"/> holds now (read out of it); the
    /// older ones, oldest first, go to <paramref name="passedOver"/> for the caller to release.
    /// </summary>
    internal static VideoFrame TakeNewest(ChannelReader<VideoFrame> frames, VideoFrame frame, List<VideoFrame> passedOver)
    {
        while (frames.TryRead(out var newer))
        {
            passedOver.Add(frame);
            frame = newer;
        }

        return frame;
    }

    // Suspends on every frame (the tracking thread's run): a pooled state machine keeps that allocation-free.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ProcessAsync(Sam2Tracker tracker, VideoFrame frame, CancellationToken token)
    {
        var index = _deterministic ? frame.Sequence : _offset + frame.Sequence;
        if (index <= _lastIndex)
        {
            return; // a Deterministic file re-opened after a pause: skip to where it stopped
        }

        NoteLoop(tracker, frame, index);
        var taken = Stopwatch.GetTimestamp();
        var handedOff = frame.ReadTimestamp != 0 ? frame.ReadTimestamp : _time.GetTimestamp();
        var (width, height) = FrameSize(frame);
        _due.Clear();
        _late.Clear();
        _commands.Clear();
        _expired.Clear();
        _inbox.Expire(_expired);
        ReplyExpired(_expired);
        KeepFrame(frame, index, width, height);
        _inbox.Collect(index, frame.CaptureTime, _lastCapture, _deterministic, _due, _late);
        foreach (var command in _due)
        {
            _commands.Add(CommandMapping.ToTrackerCommand(command, width, height));
        }

        if (_deterministic)
        {
            foreach (var command in _late)
            {
                var field = command.At.Frame is null ? "capture_time" : "frame";
                Reply(command, new CommandReply(command.Request.RequestId, false, $"{command.At} was already processed (this camera is at frame {index}); a Deterministic camera applies a command only to a frame still ahead", field) { Frame = index });
            }
        }
        else
        {
            ScheduleLate(tracker, index, width, height);
        }

        // The graphs block the camera's own tracking thread; this loop awaits it without holding a pool thread, and
        // meanwhile has the next frame normalised on a pool thread when the source already holds it.
        var (prepared, preparedTicks) = await PreparedAsync(frame).ConfigureAwait(false);
        _job = new TrackJob(frame, index, width, height, prepared);
        try
        {
            var running = _tracking!.RunAsync();
            try
            {
                PrepareNext(tracker);
            }
            finally
            {
                await running.ConfigureAwait(false);
            }
        }
        finally
        {
            _job = default;
        }

        var tracked = _jobResult!;
        _jobResult = null;
        ObserveTracked(tracked, handedOff, taken, preparedTicks);
        try
        {
            PublishCorrections(tracker, index, frame.Clock);
            _lastIndex = index;
            _lastCapture = frame.CaptureTime;
            Interlocked.Increment(ref _framesProcessed);
            Interlocked.Exchange(ref _lastFrameTicks, _time.GetUtcNow().UtcTicks);
            Volatile.Write(ref _objects, tracker.ObjectCount);
            foreach (var outcome in tracked.Outcomes)
            {
                Reply((PendingCommand)outcome.Tag!, CommandMapping.ToReply((PendingCommand)outcome.Tag!, outcome, index));
            }

            PublishEvents(tracker, tracked);
            Log.FrameProcessed(_logger, Id, index, tracked.Objects.Count);
            // Not cancelled by a pause: the frame is tracked and counted, so its message must go out (the publisher
            // reads until the agent stops, so this never waits for long).
            await _tracks.Writer.WriteAsync(new TrackedItem(tracked, handedOff, frame.Clock), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            tracked.Dispose();
            throw;
        }
    }

    private (int Width, int Height) FrameSize(VideoFrame frame)
    {
        if (frame.SourceWidth > 0 && frame.SourceHeight > 0)
        {
            return (frame.SourceWidth, frame.SourceHeight);
        }

        // Only a frame without its source size asks for the camera's own probe: the decoders size their frames (ffmpeg's
        // stream line, the GStreamer source's probe), and a probe of every camera at start was one more connection to
        // it beside the decoder's, which a camera that limits its sessions may refuse.
        if (Interlocked.Exchange(ref _probeStarted, 1) == 0)
        {
            _ = Task.Run(() => ProbeAsync(_stopping), CancellationToken.None);
        }

        var (w, h) = (Volatile.Read(ref _probedWidth), Volatile.Read(ref _probedHeight));
        return w > 0 && h > 0 ? (w, h) : (frame.Width, frame.Height);
    }

    private void Reply(PendingCommand command, CommandReply reply)
    {
        if (reply.Ok)
        {
            Log.CommandApplied(_logger, Id, LogText.Escape(reply.RequestId), reply.Frame ?? -1);
        }

        // Refusals are logged by the plane, throttled; the reply never waits for the broker.
        _plane.Reply("camera " + Id, command.ReplyTo, reply);
    }

    private void Finish()
    {
        _finished = true;
        foreach (var command in _inbox.Close($"camera {Id}'s file has ended: no frame is left to apply commands to"))
        {
            Reply(command, new CommandReply(command.Request.RequestId, false, $"camera {Id}'s file ended before {command.At}", command.At.Frame is null ? "capture_time" : "frame"));
        }

        Log.Finished(_logger, Id, Interlocked.Read(ref _framesProcessed));
        WakeStatus();
    }
}
