using EdgeSam2.Tracking.Memory;

namespace EdgeSam2.Agent.Options;

/// <summary>Tracker limits and memory policy, applied to every camera.</summary>
public sealed class TrackingOptions
{
    /// <summary>Most objects tracked at once per camera; further new-object prompts are refused. Default 16.</summary>
    public int MaxObjects { get; set; } = 16;

    /// <summary>Most points in one prompt. Default 16.</summary>
    public int MaxPromptPoints { get; set; } = 16;

    /// <summary>Seconds an object may stay occluded before it is reported lost. Default 3.</summary>
    public double LostAfterSeconds { get; set; } = 3;

    /// <summary>Seconds a lost object is still searched for before it is removed. Default 120.</summary>
    public double RemoveAfterSeconds { get; set; } = 120;

    /// <summary>Memory write policy: <c>Anchored</c>, <c>QualityGated</c> or <c>Reference</c> (SAM 2's own). Default Anchored.</summary>
    public MemoryWritePolicy MemoryPolicy { get; set; } = MemoryWritePolicy.Anchored;

    /// <summary>Anchored: absent frames in a row still written to memory, as SAM 2 writes them. Default 2.</summary>
    public int MaxAbsentWrites { get; set; } = 2;

    /// <summary>QualityGated and Anchored: a mask whose box grows past this many times the recent peak (or, while another object claims some of its pixels, its box when last alone) is not written to memory (0 = off). Default 1.8.</summary>
    public double MaxAreaGrowth { get; set; } = 1.8;

    /// <summary>Masks of different objects never overlap (each pixel to the highest logit, SAM 2's non_overlap_masks). Default true.</summary>
    public bool NonOverlappingMasks { get; set; } = true;

    /// <summary>
    /// With NonOverlappingMasks: a pixel two objects both claim goes to the one whose motion-predicted box it lies
    /// deepest in, so look-alikes in contact do not swallow each other; false is SAM 2's plain argmax. Default true.
    /// </summary>
    public bool MotionOwnership { get; set; } = true;

    /// <summary>
    /// QualityGated and Anchored: anchor memories per object (DAM4SAM), written while a look-alike is near a reliable
    /// target and never evicted by recent or absent frames; 0 = off, at most 5 (memory_slots − 2). Default 2.
    /// </summary>
    public int MaxAnchors { get; set; } = 2;

    /// <summary>Multimask decoders: weight of motion when choosing among the decoder's candidates (SAMURAI's α; 0 = predicted IoU alone). Default 0.25.</summary>
    public double CandidateMotionWeight { get; set; } = 0.25;

    /// <summary>Multimask decoders: frames in a row the motion track must have predicted before it takes part in the choice. Default 5.</summary>
    public int CandidateStableFrames { get; set; } = 5;

    /// <summary>Lowest predicted IoU at which a frame enters an object's memory (QualityGated). Default 0.5.</summary>
    public double MinIouForMemory { get; set; } = 0.5;

    /// <summary>Operator-prompt memory entries kept per object. Default 2.</summary>
    public int MaxConditioningEntries { get; set; } = 2;

    /// <summary>Commands (prompts, removals) waiting per camera for the frame they name; more are refused. Default 64.</summary>
    public int MaxPendingPrompts { get; set; } = 64;

    /// <summary>
    /// Live cameras: how far back (seconds before the newest frame) a prompt may name a frame and still be applied to
    /// it; the camera keeps its recent frames that long (at most <see cref="LatePromptMaxFrames"/>). 0 keeps none:
    /// every prompt naming an earlier frame is refused. Per camera: <c>Cameras:N:LatePromptSeconds</c>. Default 2.
    /// </summary>
    public double LatePromptSeconds { get; set; } = 2;

    /// <summary>
    /// Live cameras: most frames kept for late prompts, which bounds the memory (frames × S²·3 bytes, S the model's
    /// input size). Per camera: <c>Cameras:N:LatePromptMaxFrames</c>. Default 60 (2 s at 30 fps).
    /// </summary>
    public int LatePromptMaxFrames { get; set; } = 60;

    /// <summary>
    /// Live cameras: kept frames that late prompts may carry forward, on average, per live frame (each costs about one
    /// frame of tracking while the camera waits), with a burst of <see cref="LatePromptMaxFrames"/>; a late prompt that
    /// needs more is refused, naming what is left. Bounds what a flood of late prompts can take from the live frame rate.
    /// Default 0.5 (a camera keeps about 2/3 of its frame rate under such a flood).
    /// </summary>
    public double LatePromptCatchUpRatio { get; set; } = 0.5;
}
