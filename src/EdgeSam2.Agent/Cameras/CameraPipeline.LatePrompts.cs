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
/// (its points in that frame's coordinates), and its object (a new one, or an existing one rewound to that frame: a
/// correction) is carried forward through the frames kept since, on the tracking thread before the current frame, and
/// goes on with live tracking on the current frame; no other object is run.
/// Its masks on the frames in between go out on <c>{base}/{cam}/tracks/correction</c>. The late prompts due on a frame
/// are carried forward together (one image-encoder run per kept frame for all of them), so a catch-up costs at most
/// the ring's frames of graph runs. While it runs the frame loop waits, so a Live source keeps only its newest frame
/// meanwhile (the others are counted as dropped).
/// </summary>
internal sealed partial class CameraPipeline
{
    private readonly List<LateJob> _lateJobs = [];
    private readonly List<PromptCommand> _latePrompts = [];
    private readonly List<int> _lateCarried = [];
    private readonly List<TrackedFrame> _corrections = [];
    private readonly FrameRing? _ring;
    private readonly CatchUpBudget? _catchUp;
    private TrackPostProcessor? _correctionPost;
    private long _lateMilliseconds;

    /// <summary>The ring of a Live camera with a window; null otherwise (late prompts are then refused).</summary>
    private readonly double _catchUpRatio;

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
    /// Frame loop: each late prompt is refused (older than the ring), scheduled for catch-up on this frame, or, when the
    /// frame it names was never tracked and no frame between it and now was, applied now with the other due commands.
    /// </summary>
    private void ScheduleLate(long index, int width, int height)
    {
        _catchUp?.OnLiveFrame();
        var scheduledFrom = int.MaxValue; // the earliest kept frame this frame's catch-up starts from
        if (_ring is not null && TakeLateAfterClear(_due, _late, _commands, width, height))
        {
            return;
        }

        foreach (var command in _late)
        {
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
            else if (CatchUpCost(position, scheduledFrom) is var needed && !_catchUp!.TryTake(needed))
            {
                Reply(command, new CommandReply(command.Request.RequestId, false, $"{at} needs {needed} more kept frames carried forward and this camera may carry forward only {_catchUp.Available} now: late prompts may carry forward {_catchUpRatio:0.###} frames per live frame on average, at most {_catchUp.Burst} at once (Tracking:LatePromptCatchUpRatio), so the live frame rate is kept; name a later frame or retry shortly; this camera is at frame {index}", field) { Frame = index });
            }
            else
            {
                scheduledFrom = Math.Min(scheduledFrom, position);
                var slot = _ring[position];
                _lateJobs.Add(new LateJob(command, (PromptCommand)CommandMapping.ToTrackerCommand(command, slot.FrameWidth, slot.FrameHeight), position));
            }
        }

        _late.Clear();
    }

    /// <summary>
    /// A reset or remove-all clears the inbox when it arrives, so a late prompt collected beside one (in
    /// <paramref name="due"/>) came after it. The catch-up runs before the frame's commands, so carried forward it would be
    /// undone by the older reset: every such late prompt is moved from <paramref name="late"/> to the end of
    /// <paramref name="commands"/> (after the due ones, the reset among them), to be applied to the current frame. False,
    /// and nothing moved, when no due command clears all.
    /// </summary>
    internal static bool TakeLateAfterClear(List<PendingCommand> due, List<PendingCommand> late, List<TrackerCommand> commands, int width, int height)
    {
        if (late.Count == 0 || !due.Exists(static c => c.ClearsAll))
        {
            return false;
        }

        foreach (var command in late)
        {
            commands.Add(CommandMapping.ToTrackerCommand(command, width, height));
        }

        late.Clear();
        return true;
    }

    /// <summary>
    /// Kept frames a late prompt adds to this frame's catch-up: from its frame to the one before the current (the ring's
    /// newest), less what the prompts already scheduled, which share one catch-up, carry forward anyway.
    /// </summary>
    private int CatchUpCost(int position, int scheduledFrom) =>
        scheduledFrom == int.MaxValue ? _ring!.Count - 1 - position : Math.Max(0, scheduledFrom - position);

    /// <summary>
    /// Tracking thread, before the current frame: from the earliest frame a late prompt names to the frame before the
    /// current one, each kept frame once: the prompts naming it applied, the objects prompted on earlier kept frames
    /// (created or corrected) carried forward. The caller resets the graph clock after, so the current frame's stage figures stay its own.
    /// </summary>
    private void CatchUpOnThread(Sam2Tracker tracker, long currentIndex)
    {
        if (_lateJobs.Count == 0)
        {
            return;
        }

        var ring = _ring!;
        var started = Stopwatch.GetTimestamp();
        var first = int.MaxValue;
        foreach (var job in _lateJobs)
        {
            first = Math.Min(first, job.Position);
        }

        _lateCarried.Clear();
        for (var p = first; p < ring.Count && ring[p].Index < currentIndex; p++)
        {
            _latePrompts.Clear();
            foreach (var job in _lateJobs)
            {
                if (job.Position == p)
                {
                    _latePrompts.Add(job.Prompt);
                }
            }

            var slot = ring[p];
            var frame = tracker.ProcessEarlier(slot.Rgb24.AsSpan(0, slot.ByteCount), slot.PixelWidth, slot.PixelHeight, slot.FrameWidth, slot.FrameHeight, slot.Index, slot.CaptureTime, _latePrompts, _lateCarried);
            _corrections.Add(frame);
            foreach (var outcome in frame.Outcomes)
            {
                var at = _lateJobs.FindIndex(j => ReferenceEquals(j.Command, outcome.Tag));
                _lateJobs[at] = _lateJobs[at] with { Outcome = outcome, PromptFrame = slot.Index };
                if (outcome.Succeeded && !_lateCarried.Contains(outcome.ObjectIds[0]))
                {
                    _lateCarried.Add(outcome.ObjectIds[0]); // a correction on an object already carried keeps its one place
                }
            }
        }

        _lateMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// Frame loop, after the current frame was tracked: the catch-up's events, each late prompt's reply (naming the frame
    /// it was applied to) and its object's correction messages, one per frame carried through (QoS 1, in frame order).
    /// </summary>
    private void PublishCorrections(Sam2Tracker tracker, long liveFrame, CaptureClock clock)
    {
        if (_lateJobs.Count == 0)
        {
            return;
        }

        try
        {
            foreach (var frame in _corrections)
            {
                PublishEvents(tracker, frame);
            }

            _correctionPost ??= new TrackPostProcessor(_options.Output.Mask == MaskOutput.Rle);
            for (var j = 0; j < _lateJobs.Count; j++)
            {
                var job = _lateJobs[j];
                var outcome = job.Outcome!;
                Reply(job.Command, CommandMapping.ToReply(job.Command, outcome, job.PromptFrame));
                if (!outcome.Succeeded)
                {
                    continue;
                }

                var correction = new TrackCorrection(job.Command.Request.RequestId, outcome.ObjectIds[0], job.PromptFrame, liveFrame);
                var until = CorrectedFrom(j, correction.ObjectId, liveFrame);
                var frames = 0;
                foreach (var frame in _corrections)
                {
                    if (frame.FrameIndex >= job.PromptFrame && frame.FrameIndex < until && frame.Objects.Exists(o => o.ObjectId == correction.ObjectId))
                    {
                        var latency = Math.Max(0, (_time.GetUtcNow() - frame.CaptureTime).TotalMilliseconds);
                        var payload = _correctionPost.Build(Id, frame, latency, clock, correction).ToArray();
                        _control.Writer.TryWrite(new MqttMessage(_topics.TracksCorrection, payload, MqttQos.AtLeastOnce));
                        frames++;
                    }
                }

                Log.LatePromptCaughtUp(_logger, Id, LogText.Escape(correction.RequestId), correction.PromptFrame, frames, liveFrame, _lateMilliseconds);
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

    /// <summary>
    /// Where another late prompt of this catch-up on the same object, applied after job <paramref name="index"/> (on a
    /// later frame, or on the same frame and arrived later), took over: job <paramref name="index"/> publishes the
    /// object's frames up to there, so every frame goes out once, under the prompt that decided it.
    /// <paramref name="liveFrame"/> when none did.
    /// </summary>
    private long CorrectedFrom(int index, int objectId, long liveFrame)
    {
        var (until, from) = (liveFrame, _lateJobs[index].PromptFrame);
        for (var k = 0; k < _lateJobs.Count; k++)
        {
            var other = _lateJobs[k];
            var after = other.PromptFrame > from || (other.PromptFrame == from && k > index);
            if (after && other.Outcome is { Succeeded: true } o && o.ObjectIds[0] == objectId)
            {
                until = Math.Min(until, other.PromptFrame);
            }
        }

        return until;
    }

    /// <summary>
    /// A late prompt scheduled on this frame: its command, its tracker command, its frame's place in the ring; after the
    /// catch-up, its outcome and the frame it was applied to.
    /// </summary>
    private readonly record struct LateJob(PendingCommand Command, PromptCommand Prompt, int Position, CommandOutcome? Outcome = null, long PromptFrame = 0);
}
