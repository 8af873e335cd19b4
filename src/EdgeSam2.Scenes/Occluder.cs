namespace EdgeSam2.Scenes;

/// <summary>A solid rectangle drawn above every object: what it covers is not visible in the ground truth.</summary>
public sealed record Occluder(SceneRect Rect, Rgb Colour)
{
    /// <summary>The grey the standard scenes use, far in colour from both the targets and the background.</summary>
    public static readonly Rgb Grey = new(128, 128, 128);
}
