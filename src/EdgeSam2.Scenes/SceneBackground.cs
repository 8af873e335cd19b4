namespace EdgeSam2.Scenes;

/// <summary>
/// A static, smooth random texture (value noise on a coarse grid plus per-pixel grain) whose colours stay in
/// a green/olive band far from the targets' reds and blues, so a target pixel is never confused with it.
/// </summary>
public sealed record SceneBackground
{
    /// <summary>Red channel range, inclusive.</summary>
    public const byte RedMin = 60, RedMax = 110;

    /// <summary>Green channel range, inclusive.</summary>
    public const byte GreenMin = 110, GreenMax = 170;

    /// <summary>Blue channel range, inclusive.</summary>
    public const byte BlueMin = 40, BlueMax = 90;

    /// <summary>Spacing in pixels of the random grid the texture interpolates; larger is smoother. Default 48.</summary>
    public int CellSize { get; init; } = 48;

    /// <summary>Amplitude of the per-pixel grain added on top, in colour levels. Default 4.</summary>
    public int Grain { get; init; } = 4;
}
