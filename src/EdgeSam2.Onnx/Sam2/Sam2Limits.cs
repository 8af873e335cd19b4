namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// The largest shapes the tracker will ask for. They bound TensorRT's optimisation profiles, so engines are built
/// once, before start, for every object and memory count the agent can reach.
/// </summary>
public sealed record Sam2Limits
{
    /// <summary>Most objects in one call (the tracker's MaxObjects). Default 16.</summary>
    public int MaxObjects { get; init; } = 16;

    /// <summary>Most prompt points per object, box corners included. Default 18 (16 clicks and a box).</summary>
    public int MaxPromptPoints { get; init; } = 18;

    /// <summary>
    /// Conditioning entries an object keeps (the tracker's MaxConditioningEntries). SAM 2 attends every conditioning
    /// frame besides the recent ones, so memories reach slots + this − 1 and pointers the maximum + this − 1. Default 2.
    /// </summary>
    public int MaxConditioningEntries { get; init; } = 2;
}
