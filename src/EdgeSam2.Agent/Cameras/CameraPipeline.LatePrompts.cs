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
    private readonly List<TrackedFrame> _correctionFrames = [];
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
    /// Frame loop, the tracker idle: each late prompt is refused (older than the ring, refused by the tracker on the frame
    /// it names, or beyond the catch-up budget), scheduled for catch-up on this frame, or applied now with the other due
    /// commands: when the frame it names was never tracked and no frame between it and now was, or when a due removal
    /// of its object came before it (<see cref="TakeLateAfterClear"/>).
    /// </summary>
    private void ScheduleLate(Sam2Tracker tracker, long index, int width, int height)
    {
        _catchUp?.OnLiveFrame();
        var scheduledFrom = int.MaxValue; // the earliest kept frame this frame's catch-up starts from
        if (_ring is not null)
        {
            TakeLateAfterClear(_due, _late, _commands, width, height);
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
                continue;
            }

            if (found == RingLookup.NotEarlier)
            {
                _commands.Add(CommandMapping.ToTrackerCommand(command, width, height));
                continue;
            }

            var slot = _ring[position];
            var prompt = (PromptCommand)CommandMapping.ToTrackerCommand(command, slot.FrameWidth, slot.FrameHeight);
            if (tracker.RefusalOnEarlier(prompt, slot.Index, slot.FrameWidth, slot.FrameHeight) is { } refused)
            {
                // Refused before the catch-up, as the tracker would refuse it there: it costs no budget and no graph run.
                Reply(command, CommandMapping.ToReply(command, refused, slot.Index));
            }
            else if (CatchUpCost(position, scheduledFrom) is var needed && !_catchUp!.TryTake(needed))
            {
                Reply(command, new CommandReply(command.Request.RequestId, false, $"{at} needs {needed} more kept frames carried forward and this camera may carry forward only {_catchUp.Available} now: late prompts may carry forward {_catchUpRatio:0.###} frames per live frame on average, at most {_catchUp.Burst} at once (Tracking:LatePromptCatchUpRatio), so the live frame rate is kept; name a later frame or retry shortly; this camera is at frame {index}", field) { Frame = index });
            }
            else
            {
                scheduledFrom = Math.Min(scheduledFrom, position);
                _lateJobs.Add(new LateJob(command, prompt, position));
            }
        }

        _late.Clear();
    }

    /// <summary>
    /// A late prompt collected beside a due command that removes its object and arrived before it (a reset, a remove of
    /// all objects, or a remove naming the prompt's object) came after that removal: the catch-up runs before the
    /// frame's commands, so carried forward it would be undone by the older removal. Every such late prompt is moved from
    /// <paramref name="late"/> into <paramref name="commands"/> (built from <paramref name="due"/>, in arrival order),
    /// after the due commands that arrived before it, to be applied to the current frame. A reset or a remove-all that
    /// names no frame empties the inbox as it arrives, so every late prompt beside one came after it. A removal that
    /// arrived after the late prompt leaves it to the catch-up, and removes its object on the current frame after it.
    /// True when any was moved.
    /// </summary>
    internal static bool TakeLateAfterClear(List<PendingCommand> due, List<PendingCommand> late, List<TrackerCommand> commands, int width, int height)
    {
        var moved = false;
        for (var i = 0; i < late.Count;)
        {
            var command = late[i];
            if (!due.Exists(d => (d.ClearsAll || d.Sequence < command.Sequence) && Removes(d, command)))
            {
                i++;
                continue;
            }

            var before = commands.FindIndex(c => ((PendingCommand)c.Tag!).Sequence > command.Sequence && !((PendingCommand)c.Tag!).ClearsAll);
            commands.Insert(before < 0 ? commands.Count : before, CommandMapping.ToTrackerCommand(command, width, height));
            late.RemoveAt(i);
            moved = true;
        }

        return moved;
    }

    /// <summary>Whether <paramref name="removal"/> removes the object late prompt <paramref name="prompt"/> names (or would create).</summary>
    private static bool Removes(PendingCommand removal, PendingCommand prompt) => removal.Request switch
    {
        ResetRequest => true,
        RemoveRequest { ObjectId: null } => true,
        RemoveRequest remove => prompt.Request is PromptRequest { ObjectId: { } id } && remove.ObjectId == id,
        _ => false,
    };

    /// <summary>
    /// Kept frames a late prompt adds to this frame's catch-up: from its frame to the one before the current (the ring's
    /// newest), less what the prompts already scheduled, which share one catch-up, carry forward anyway.
    /// </summary>
    private int CatchUpCost(int position, int scheduledFrom) =>
        scheduledFrom == int.MaxValue ? _ring!.Count - 1 - position : Math.Max(0, scheduledFrom - position);

    /// <summary>
    /// Tracking thread, before the current frame: the late prompts scheduled on it carried forward (<see cref="CatchUp"/>).
    /// The caller resets the graph clock after, so the current frame's stage figures stay its own.
    /// </summary>
    private void CatchUpOnThread(Sam2Tracker tracker, long currentIndex)
    {
        if (_lateJobs.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        CatchUp(tracker, _ring!, _lateJobs, currentIndex, _corrections, _latePrompts, _lateCarried);
        _lateMilliseconds = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>
    /// From the earliest frame a late prompt in <paramref name="jobs"/> names to the frame before
    /// <paramref name="currentIndex"/>, each kept frame once: the prompts naming it applied, the objects prompted on
    /// earlier kept frames (created or corrected) carried forward; each frame's result added to
    /// <paramref name="corrections"/>. Then <paramref name="jobs"/> holds each prompt's outcome and frame, in the order
    /// applied (frame order; on one frame, arrival order), which is the order their replies and corrections go out in.
    /// <paramref name="prompts"/> and <paramref name="carried"/> are scratch lists.
    /// </summary>
    internal static void CatchUp(
        Sam2Tracker tracker, FrameRing ring, List<LateJob> jobs, long currentIndex, List<TrackedFrame> corrections, List<PromptCommand> prompts, List<int> carried)
    {
        var first = int.MaxValue;
        foreach (var job in jobs)
        {
            first = Math.Min(first, job.Position);
        }

        carried.Clear();
        var applied = 0;
        for (var p = first; p < ring.Count && ring[p].Index < currentIndex; p++)
        {
            prompts.Clear();
            foreach (var job in jobs)
            {
                if (job.Position == p)
                {
                    prompts.Add(job.Prompt);
                }
            }

            var slot = ring[p];
            var frame = tracker.ProcessEarlier(slot.Rgb24.AsSpan(0, slot.ByteCount), slot.PixelWidth, slot.PixelHeight, slot.FrameWidth, slot.FrameHeight, slot.Index, slot.CaptureTime, prompts, carried);
            corrections.Add(frame);
            foreach (var outcome in frame.Outcomes)
            {
                var at = jobs.FindIndex(j => ReferenceEquals(j.Command, outcome.Tag));
                jobs[at] = jobs[at] with { Outcome = outcome, PromptFrame = slot.Index, Applied = applied++ };
                if (outcome.Succeeded && !carried.Contains(outcome.ObjectIds[0]))
                {
                    carried.Add(outcome.ObjectIds[0]); // a correction on an object already carried keeps its one place
                }
            }
        }

        // Arrival order may differ (a correction on a later frame sent first): one object's corrections go out in frame order.
        jobs.Sort(static (a, b) => a.Applied.CompareTo(b.Applied));
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
                CorrectionFrames(_lateJobs, j, _corrections, liveFrame, _correctionFrames);
                foreach (var frame in _correctionFrames)
                {
                    var latency = Math.Max(0, (_time.GetUtcNow() - frame.CaptureTime).TotalMilliseconds);
                    var payload = _correctionPost.Build(Id, frame, latency, clock, correction).ToArray();
                    _control.Writer.TryWrite(new MqttMessage(_topics.TracksCorrection, payload, MqttQos.AtLeastOnce));
                }

                Log.LatePromptCaughtUp(_logger, Id, LogText.Escape(correction.RequestId), correction.PromptFrame, _correctionFrames.Count, liveFrame, _lateMilliseconds);
            }
        }
        finally
        {
            foreach (var frame in _corrections)
            {
                frame.Dispose();
            }

            _corrections.Clear();
            _correctionFrames.Clear();
            _lateJobs.Clear();
        }
    }

    /// <summary>
    /// The frames of <paramref name="corrections"/> that job <paramref name="index"/> (succeeded; <paramref name="jobs"/>
    /// in the order applied) publishes its object on, into <paramref name="frames"/>: from its prompt frame up to where
    /// another late prompt of this catch-up on the same object, applied after it, took over (or
    /// <paramref name="liveFrame"/> when none did), so every frame goes out once, under the prompt that decided it.
    /// </summary>
    internal static void CorrectionFrames(List<LateJob> jobs, int index, List<TrackedFrame> corrections, long liveFrame, List<TrackedFrame> frames)
    {
        frames.Clear();
        var job = jobs[index];
        var objectId = job.Outcome!.ObjectIds[0];
        var until = liveFrame;
        for (var k = index + 1; k < jobs.Count; k++)
        {
            if (jobs[k].Outcome is { Succeeded: true } o && o.ObjectIds[0] == objectId)
            {
                until = Math.Min(until, jobs[k].PromptFrame);
            }
        }

        foreach (var frame in corrections)
        {
            if (frame.FrameIndex >= job.PromptFrame && frame.FrameIndex < until && frame.Objects.Exists(o => o.ObjectId == objectId))
            {
                frames.Add(frame);
            }
        }
    }

    /// <summary>
    /// A late prompt scheduled on this frame: its command, its tracker command, its frame's place in the ring; after the
    /// catch-up, its outcome, the frame it was applied to and its place in the order applied.
    /// </summary>
    internal readonly record struct LateJob(PendingCommand Command, PromptCommand Prompt, int Position, CommandOutcome? Outcome = null, long PromptFrame = 0, int Applied = 0);
}
