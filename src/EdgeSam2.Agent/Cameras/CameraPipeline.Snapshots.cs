using System.Threading.Channels;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Mqtt;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Snapshots: a JPEG of a frame on <c>{base}/{cam}/snapshot</c>, on request (<c>capture</c>) and every
/// <c>Snapshot:IntervalSeconds</c>. The frame loop pays one flag check per frame while none is due; when one is, it
/// copies the frame's RGB into the camera's one snapshot buffer, as it takes the frame and before tracking it, and
/// the encoding (SkiaSharp) and publishing run on their own task. One snapshot is in flight per camera: while it
/// encodes, requests wait for a later frame.
/// </summary>
internal sealed partial class CameraPipeline
{
    private static readonly TimeSpan SnapshotTick = TimeSpan.FromSeconds(1);
    private readonly Lock _snapshotGate = new();
    private readonly List<SnapshotRequest> _snapshotWaiting = [];
    private readonly Channel<SnapshotJob> _snapshotJobs = Channel.CreateBounded<SnapshotJob>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
    private int _snapshotWanted;
    private int _snapshotBusy;
    private long _snapshotDue = long.MaxValue;
    private byte[]? _snapshotPixels;
    private long _lastSnapshotFrame = -1;

    /// <summary>The frame the last snapshot was taken of (-1: none); set by the frame loop before it tracks that frame.</summary>
    internal long LastSnapshotFrame => Volatile.Read(ref _lastSnapshotFrame);

    /// <summary>Commands waiting in the camera's inbox for their frame (for tests).</summary>
    internal int WaitingCommands => _inbox.Count;

    /// <summary>
    /// Asks for a snapshot of the next frame; answered (to <paramref name="target"/>) once it is published, with its
    /// frame and capture time. The refusal when it cannot be taken.
    /// </summary>
    public CommandError? RequestSnapshot(ReplyTarget target, string? requestId)
    {
        if (_finished)
        {
            return new CommandError("camera", $"camera {Id}'s file has ended: there is no frame left to take");
        }

        if (!Enabled)
        {
            return new CommandError("camera", $"camera {Id} is disabled: enable it (set) to take a snapshot");
        }

        lock (_snapshotGate)
        {
            if (_snapshotWaiting.Count >= _options.Snapshot.MaxWaiting)
            {
                return new CommandError("$", $"{_snapshotWaiting.Count} snapshot requests already wait for camera {Id}'s next frame (Snapshot:MaxWaiting)");
            }

            _snapshotWaiting.Add(new SnapshotRequest(target, requestId, _time.GetTimestamp()));
            Volatile.Write(ref _snapshotWanted, 1);
        }

        return null;
    }

    /// <summary>Frame loop, as it takes a frame: copies it for a snapshot when one is due and none is encoding.</summary>
    private void OfferSnapshot(VideoFrame frame)
    {
        var due = Volatile.Read(ref _snapshotDue);
        if (Volatile.Read(ref _snapshotWanted) == 0 && (due == long.MaxValue || _time.GetTimestamp() < due))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _snapshotBusy, 1, 0) != 0)
        {
            return; // the previous snapshot is still encoding: a later frame
        }

        var index = _deterministic ? frame.Sequence : _offset + frame.Sequence;
        if (index <= _lastIndex)
        {
            Volatile.Write(ref _snapshotBusy, 0);
            return; // skipped by the frame loop too (a resumed Deterministic file)
        }

        var length = frame.Width * frame.Height * 3;
        if (_snapshotPixels is null || _snapshotPixels.Length != length)
        {
            _snapshotPixels = new byte[length];
        }

        frame.Rgb24.Span.CopyTo(_snapshotPixels);
        SnapshotRequest[] requests;
        lock (_snapshotGate)
        {
            requests = [.. _snapshotWaiting];
            _snapshotWaiting.Clear();
            Volatile.Write(ref _snapshotWanted, 0);
        }

        if (due != long.MaxValue)
        {
            Volatile.Write(ref _snapshotDue, _time.GetTimestamp() + SnapshotPeriodTicks());
        }

        var (width, height) = FrameSize(frame);
        Volatile.Write(ref _lastSnapshotFrame, index);
        if (!_snapshotJobs.Writer.TryWrite(new SnapshotJob(_snapshotPixels, frame.Width, frame.Height, width, height, index, frame.CaptureTime, requests)))
        {
            Volatile.Write(ref _snapshotBusy, 0); // stopping: the encoder is gone
        }
    }

    /// <summary>Encodes and publishes snapshots; once a second, answers requests that waited too long or whose camera stopped.</summary>
    private async Task RunSnapshotsAsync(CancellationToken stoppingToken)
    {
        if (_options.Snapshot.IntervalSeconds > 0)
        {
            Volatile.Write(ref _snapshotDue, _time.GetTimestamp());
        }

        try
        {
            while (true)
            {
                using (var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    tick.CancelAfter(SnapshotTick);
                    try
                    {
                        if (!await _snapshotJobs.Reader.WaitToReadAsync(tick.Token).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }

                while (_snapshotJobs.Reader.TryRead(out var job))
                {
                    PublishSnapshot(job);
                }

                ExpireSnapshotRequests();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void PublishSnapshot(SnapshotJob job)
    {
        byte[] jpeg;
        try
        {
            jpeg = Snapshots.JpegSnapshot.Encode(job.Pixels, job.Width, job.Height, job.OutWidth, job.OutHeight, _options.Snapshot.JpegQuality);
        }
        catch (Exception e)
        {
            // Whatever goes wrong in the encoder (SkiaSharp's native library missing included) costs this snapshot,
            // never the camera: it is logged and the requests are answered.
            Snapshots.Log.EncodeFailed(_logger, Id, job.Frame, e.Message);
            AnswerSnapshot(job, new CommandError("$", $"the snapshot of frame {job.Frame} could not be encoded: {e.Message}"));
            return;
        }
        finally
        {
            Volatile.Write(ref _snapshotBusy, 0); // the buffer is free for the next snapshot
        }

        var message = new SnapshotMessage(Id, job.Frame, job.CaptureTime, job.OutWidth, job.OutHeight, jpeg.Length, job.Requests.Length > 0);

        // QoS 0, like tracks: a snapshot is perishable, and a JPEG has no place in the outbox that keeps replies.
        var sent = _mqtt.Client.TryPublish(new MqttMessage(_topics.SnapshotInfo, message.ToJson()) { ContentType = "application/json", PayloadIsUtf8 = true })
            & _mqtt.Client.TryPublish(new MqttMessage(_topics.Snapshot, jpeg) { ContentType = "image/jpeg", UserProperties = message.UserProperties() });
        AnswerSnapshot(job, sent ? null : new CommandError("$", $"the snapshot of frame {job.Frame} was not sent: the agent is not connected to the broker"));
        Snapshots.Log.Published(_logger, Id, job.Frame, jpeg.Length, job.Requests.Length);
    }

    private void AnswerSnapshot(SnapshotJob job, CommandError? error)
    {
        foreach (var request in job.Requests)
        {
            var reply = error is { } e
                ? CommandReply.Fail(request.RequestId, e) with { Frame = job.Frame }
                : new CommandReply(request.RequestId, true) { Frame = job.Frame, CaptureTime = job.CaptureTime };
            _plane.Reply("camera " + Id, request.Target, reply);
        }
    }

    private void ExpireSnapshotRequests()
    {
        var timeout = TimeSpan.FromSeconds(_options.Commands.PendingTimeoutSeconds);
        var stopped = _finished || !Enabled;
        List<SnapshotRequest>? gone = null;
        lock (_snapshotGate)
        {
            for (var i = _snapshotWaiting.Count - 1; i >= 0; i--)
            {
                if (stopped || _time.GetElapsedTime(_snapshotWaiting[i].Since) >= timeout)
                {
                    (gone ??= []).Add(_snapshotWaiting[i]);
                    _snapshotWaiting.RemoveAt(i);
                }
            }

            if (_snapshotWaiting.Count == 0)
            {
                Volatile.Write(ref _snapshotWanted, 0);
            }
        }

        foreach (var request in gone ?? [])
        {
            var reply = stopped
                ? new CommandReply(request.RequestId, false, $"camera {Id} stopped before a frame came for the snapshot", "camera")
                : new CommandReply(request.RequestId, false, $"expired: no frame came within {_options.Commands.PendingTimeoutSeconds} s for the snapshot", "$") { Expired = true };
            _plane.Reply("camera " + Id, request.Target, reply);
        }
    }

    private long SnapshotPeriodTicks() => (long)(_options.Snapshot.IntervalSeconds * _time.TimestampFrequency);

    private sealed record SnapshotRequest(ReplyTarget Target, string? RequestId, long Since);

    private sealed record SnapshotJob(byte[] Pixels, int Width, int Height, int OutWidth, int OutHeight, long Frame, DateTimeOffset CaptureTime, SnapshotRequest[] Requests);
}
