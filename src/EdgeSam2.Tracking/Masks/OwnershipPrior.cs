namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// Where an object is expected on a square map, in map cells: its motion-predicted centre and half-size. Used by
/// <see cref="MaskOverlap"/> to decide pixels that two objects both claim (look-alikes in contact), which the
/// decoder's logits alone cannot: a model that sees two identical shapes gives both the same logit there.
/// </summary>
public readonly record struct OwnershipPrior(float CenterX, float CenterY, float HalfWidth, float HalfHeight)
{
    /// <summary>No expectation: the object's pixels are judged by their logits alone.</summary>
    public static OwnershipPrior None => default;

    /// <summary>True when the prior has a size (the motion model has seen the object).</summary>
    public bool IsKnown => HalfWidth > 0 && HalfHeight > 0;

    /// <summary>This prior on a map <paramref name="scaleX"/> times as many cells wide and <paramref name="scaleY"/> times as high.</summary>
    public OwnershipPrior Scaled(float scaleX, float scaleY) =>
        IsKnown ? new(CenterX * scaleX, CenterY * scaleY, HalfWidth * scaleX, HalfHeight * scaleY) : this;
}
