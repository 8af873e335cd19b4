using EdgeSam2.Tracking.Memory;

namespace EdgeSam2.Tracking.Tracker;

/// <summary>Options of one camera's tracker.</summary>
public sealed class TrackerOptions
{
    /// <summary>Most objects tracked at once on a camera; further prompts are refused. Default 16.</summary>
    public int MaxObjects { get; set; } = 16;

    /// <summary>Most points (clicks) in one prompt. Default 16.</summary>
    public int MaxPromptPoints { get; set; } = 16;

    /// <summary>Time an object may stay occluded before it is reported lost. Default 3 s.</summary>
    public TimeSpan LostAfter { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>Time a lost object is still searched for before it is removed. Default 120 s.</summary>
    public TimeSpan RemoveAfter { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The id the first new object without an operator-chosen id gets; later ones count up from it. The agent passes
    /// the id it persisted before a restart, so ids are never reused. Default 1.
    /// </summary>
    public int FirstObjectId { get; set; } = 1;

    /// <summary>
    /// Masks of different objects never overlap: on every pixel the object with the highest logit keeps it (SAM 2's
    /// <c>non_overlap_masks</c>), on the published low-resolution logits and on the masks written to memory (SAM 2's
    /// <c>non_overlap_masks_for_mem_enc</c>), among the objects tracked on a frame; an object prompted on that frame
    /// is decoded alone and not included. SAM 2's predictor has both off by default (as in the sam2-micro fixture).
    /// Default true.
    /// </summary>
    public bool NonOverlappingMasks { get; set; } = true;

    /// <summary>
    /// With <see cref="NonOverlappingMasks"/>: a pixel that several objects claim goes to the object whose
    /// motion-predicted box it lies deepest in, unless another's logit is clearly higher (<c>MaskOverlap</c>), instead of
    /// SAM 2's plain argmax, which hands every tied pixel to one object. Look-alikes in contact get tied logits, and
    /// with the argmax one of them spreads over the other. Default true; false is SAM 2's rule.
    /// </summary>
    public bool MotionOwnership { get; set; } = true;

    /// <summary>
    /// Multimask decoders only: the weight α of motion when choosing among the decoder's candidates, as SAMURAI does:
    /// score = α·IoU(Kalman-predicted box, candidate box) + (1 − α)·predicted IoU. 0 chooses by predicted IoU alone
    /// (SAM 2's rule). Default 0.25 (SAMURAI's published configurations).
    /// </summary>
    public float CandidateMotionWeight { get; set; } = 0.25f;

    /// <summary>
    /// Multimask decoders only: visible frames in a row whose box the motion track predicted (box IoU &gt; 0.3) before
    /// motion takes part in the choice; until then, and on prompt frames, the predicted IoU alone chooses. SAMURAI
    /// uses 15; default 5 (half a second at 10 fps: the look-alike scenes bring objects together within 1.5 s).
    /// </summary>
    public int CandidateStableFrames { get; set; } = 5;

    /// <summary>Memory write policy and bounds.</summary>
    public MemoryOptions Memory { get; set; } = new();
}
