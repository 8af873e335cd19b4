namespace EdgeSam2.Agent.Options;

/// <summary>What the tracks messages carry.</summary>
public sealed class OutputOptions
{
    /// <summary>Mask encoding in tracks: <c>Rle</c> (COCO compressed RLE of the full-frame mask) or <c>None</c>. Default Rle.</summary>
    public MaskOutput Mask { get; set; } = MaskOutput.Rle;
}

/// <summary>How masks are published.</summary>
public enum MaskOutput
{
    /// <summary>COCO compressed RLE of the full-frame mask, as pycocotools writes it.</summary>
    Rle,

    /// <summary>No mask: bbox, centroid and area only.</summary>
    None,
}
