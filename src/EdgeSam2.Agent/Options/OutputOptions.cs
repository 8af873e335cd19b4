namespace EdgeSam2.Agent.Options;

/// <summary>What the tracks messages carry.</summary>
public sealed class OutputOptions
{
    /// <summary>Mask encoding in tracks: <c>Rle</c> (COCO compressed RLE of the full-frame mask) or <c>None</c>. Default Rle.</summary>
    public MaskOutput Mask { get; set; } = MaskOutput.Rle;

    /// <summary>Seconds between <c>{base}/stats</c> messages (QoS 0, not retained); 0 turns them off. Default 10.</summary>
    public double StatsIntervalSeconds { get; set; } = 10;
}

/// <summary>How masks are published.</summary>
public enum MaskOutput
{
    /// <summary>COCO compressed RLE of the full-frame mask, as pycocotools writes it.</summary>
    Rle,

    /// <summary>No mask: bbox, centroid and area only.</summary>
    None,
}
