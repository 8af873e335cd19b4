namespace EdgeSam2.Demo.Report;

/// <summary>How the agent did on one object in one frame.</summary>
/// <param name="Visible">Ground truth: some of the object's pixels are visible in the frame.</param>
/// <param name="Reported">The frame's tracks message lists the object.</param>
/// <param name="HasMask">It came with a mask that decoded cleanly at the frame's size.</param>
/// <param name="IoU">Mask against the ground-truth visible mask (0 without a mask).</param>
/// <param name="Problem">Why a published mask could not be used or disagrees with its own bbox/area; null when fine.</param>
internal readonly record struct ObjectFrameScore(bool Visible, bool Reported, bool HasMask, double IoU, string? Problem)
{
    /// <summary>IoU at or above which a frame counts as "tracked".</summary>
    public const double TrackedIoU = 0.5;

    /// <summary>The agent published a mask that overlaps the ground truth well enough to be the same object.</summary>
    public bool Tracked => HasMask && IoU >= TrackedIoU;
}
