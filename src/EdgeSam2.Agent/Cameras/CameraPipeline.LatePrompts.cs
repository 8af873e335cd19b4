using System.Diagnostics;
using EdgeSam2.Agent.Cameras.LatePrompts;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Options;
using EdgeSam2.Mqtt;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Cameras;

/// <summary>
/// Late prompts on a Live camera: a prompt naming an earlier frame still in the camera's ring is applied to that frame
/// (its points in that frame's coordinates), the new object is carried forward alone through the frames kept since, on
/// the tracking thread before the current frame, and joins live tracking on the current frame. Its masks on the frames
/// in between go out on <c>{base}/{cam}/tracks/correction</c>. One late prompt is carried forward per frame (a catch-up
/// costs up to the ring's frames of graph runs); more wait for the next frames. While a catch-up runs the frame loop
/// waits, so a Live source keeps only its newest frame meanwhile (the others are counted as dropped).
/// </summary>
internal sealed partial class CameraPipeline
{
    private readonly List<PendingCommand> _lateWaiting = [];
    private readonly List<LateJob> _lateJobs = [];
    private readonly List<TrackedFrame> _corrections = [];
    private readonly FrameRing? _ring;
    private TrackPostProcessor? _correctionPost;

    /// <summary>The ring of a Live camera with a window; null otherwise (late prompts are then refused).</summary>
    private static FrameRing? CreateRing(CameraOptions camera, TrackingOptions tracking)
    {
        var seconds = camera.LatePromptSeconds ?? tracking.LatePromptSeconds;
        return camera.Mode == SourceMode.Deterministic || !(seconds > 0)
            ? null
            : new FrameRing(camera.LatePromptMaxFrames ?? tracking.LatePromptMaxFrames, TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Frame loop, before commands are collected: the current frame enters the ring (the newest frame kept).</summary>
    private void KeepFrame(VideoFrame frame, long index, int width, int height) =>
        _ring?.Add(frame.Rgb24.Span, frame.Width, frame.Height, width, height, index, frame.CaptureTime);

    /// <summary>
    /// Frame loop: each late prompt is refused (older than the ring), scheduled for catch-up on this frame (the first
    /// one that waits), kept for the next frame, or, when the frame it names was never tracked and nothing between it
    /// and now was, applied now with the other due commands.
    /// </summary>
    private void ScheduleLate(long index, int width, int height)
    {
        _lateWaiting.AddRange(_late);
        _late.Clear();
        var kept = 0;
        for (var i = 0; i < _lateWaiting.Count; i++)
        {
            var command = _lateWaiting[i];
            var at = command.At;
            var field = at.Frame is null ? "capture_time" : "frame";
            if (_ring is null)
            {
                Reply(command, new CommandReply(command.Request.RequestId, false, $"{at} was already processed (this camera is at frame {index}) and this camera keeps no earlier frames (LatePromptSeconds is 0); name the current frame or none", field) { Frame = index });
                continue;
            }

            var found = at.Frame is { } frame ? _ring.FindFrame(frame, out var position) : _ring.FindTime(at.CaptureTime!.Value, out position);
            if (found == RingLookup.TooOld)
            {
                var oldest = _ring.Oldest!;
                Reply(command, new CommandReply(command.Request.RequestId, false, $"{at} is older than the frames this camera keeps for late prompts ({_ring.Window.TotalSeconds:0.###} s, at most {_ring.Capacity} frames): the oldest kept is frame {oldest.Index}, captured {oldest.CaptureTime:O}; this camera is at frame {index}", field) { Frame = index });
            }
            else if (found == RingLookup.NotEarlier)
            {
                _commands.Add(CommandMapping.ToTrackerCommand(command, width, height));
            }
            else if (_lateJobs.Count == 0)
            {
                var slot = _ring[position];
                _lateJobs.Add(new LateJob(command, (PromptCommand)CommandMapping.ToTrackerCommand(command, slot.FrameWidth, slot.FrameHeight), position));
            }
            else
            {
                _lateWaiting[kept++] = command;
            }
        }

        _lateWaiting.RemoveRange(kept, _lateWaiting.Count - kept);
    }

    /// <summary>
    /// Tracking thread, before the current frame: each scheduled late prompt on its frame, then its object alone through
    /// every kept frame up to (not including) the current one. The caller resets the graph clock after, so the current
    /// frame's stage figures stay its own.
    /// </summary>
    private void CatchUpOnThread(Sam2Tracker tracker, long currentIndex)
    {
        if (_lateJobs.Count == 0)
        {
            return;
        }

        var ring = _ring!;
        for (var j = 0; j < _lateJobs.Count; j++)
        {
            var job = _lateJobs[j];
            var started = Stopwatch.GetTimestamp();
            var slot = ring[job.Position];
            var prompted = tracker.PromptEarlier(job.Prompt, slot.Rgb24.AsSpan(0, slot.ByteCount), slot.PixelWidth, slot.PixelHeight, slot.FrameWidth, slot.FrameHeight, slot.Index, slot.CaptureTime);
            _corrections.Add(prompted);
            var outcome = prompted.Outcomes[0];
            var frames = 0;
            if (outcome.Succeeded)
            {
                var id = outcome.ObjectIds[0];
                for (var p = job.Position + 1; p < ring.Count && ring[p].Index < currentIndex; p++)
                {
                    slot = ring[p];
                    _corrections.Add(tracker.CatchUp(id, slot.Rgb24.AsSpan(0, slot.ByteCount), slot.PixelWidth, slot.PixelHeight, slot.FrameWidth, slot.FrameHeight, slot.Index, slot.CaptureTime));
                    frames++;
                }
            }

            _lateJobs[j] = job with { Frames = frames, Milliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        }
    }

    /// <summary>
    /// Frame loop, after the current frame was tracked: each late prompt's reply (naming the frame it was applied to),
    /// the events of its catch-up, and one correction message per frame carried through (QoS 1, in frame order).
    /// </summary>
    private void PublishCorrections(Sam2Tracker tracker, long liveFrame, CaptureClock clock)
    {
        if (_lateJobs.Count == 0)
        {
            return;
        }

        try
        {
            var next = 0;
            foreach (var job in _lateJobs)
            {
                var prompted = _corrections[next];
                var outcome = prompted.Outcomes[0];
                Reply(job.Command, CommandMapping.ToReply(job.Command, outcome, prompted.FrameIndex));
                if (!outcome.Succeeded)
                {
                    next++;
                    continue;
                }

                var correction = new TrackCorrection(job.Command.Request.RequestId, outcome.ObjectIds[0], prompted.FrameIndex, liveFrame);
                Log.LatePromptCaughtUp(_logger, Id, LogText.Escape(correction.RequestId), correction.PromptFrame, job.Frames, liveFrame, job.Milliseconds);
                _correctionPost ??= new TrackPostProcessor(_options.Output.Mask == MaskOutput.Rle);
                for (var k = next; k <= next + job.Frames; k++)
                {
                    var frame = _corrections[k];
                    foreach (var e in frame.Events)
                    {
                        Log.TrackEvent(_logger, Id, EventMessage.Name(e.Kind), e.ObjectId, e.FrameIndex);
                        _control.Writer.TryWrite(new MqttMessage(_topics.Events, EventMessage.ToJson(Id, e), MqttQos.AtLeastOnce));
                    }

                    PersistObjects(tracker, frame);
                    var latency = Math.Max(0, (_time.GetUtcNow() - frame.CaptureTime).TotalMilliseconds);
                    var payload = _correctionPost.Build(Id, frame, latency, clock, correction).ToArray();
                    _control.Writer.TryWrite(new MqttMessage(_topics.TracksCorrection, payload, MqttQos.AtLeastOnce));
                }

                next += job.Frames + 1;
            }
        }
        finally
        {
            foreach (var frame in _corrections)
            {
                frame.Dispose();
            }

            _corrections.Clear();
            _lateJobs.Clear();
        }
    }

    /// <summary>A late prompt scheduled on this frame: its command, its tracker command, its frame's place in the ring.</summary>
    private readonly record struct LateJob(PendingCommand Command, PromptCommand Prompt, int Position, int Frames = 0, long Milliseconds = 0);
}
