namespace EdgeSam2.Tracking.Sam2;

/// <summary>
/// One frame's image-encoder outputs, shared by every object on the camera. Allocated once per tracker at the
/// model's sizes and overwritten each frame, so encoding allocates nothing.
/// </summary>
public sealed class ImageFeatures
{
    /// <summary>Allocates buffers for the given model.</summary>
    public ImageFeatures(Sam2ModelInfo info)
    {
        PixFeat = new float[info.FeatureLength];
        VisionFeats = new float[info.FeatureLength];
        VisionPosEmbed = new float[info.FeatureLength];
        HighRes0 = new float[info.HighRes0Channels * info.HighRes0Size * info.HighRes0Size];
        HighRes1 = new float[info.HighRes1Channels * info.HighRes1Size * info.HighRes1Size];
    }

    /// <summary>Raw top-level feature [1,C,H,W]: input of the memory encoder.</summary>
    public float[] PixFeat { get; }

    /// <summary>Top-level feature + no-memory embedding [1,C,H,W]: decoder input on a first prompt frame.</summary>
    public float[] VisionFeats { get; }

    /// <summary>Position encoding [H·W,1,C].</summary>
    public float[] VisionPosEmbed { get; }

    /// <summary>Level-0 high-resolution feature [1,C0,S/4,S/4].</summary>
    public float[] HighRes0 { get; }

    /// <summary>Level-1 high-resolution feature [1,C1,S/8,S/8].</summary>
    public float[] HighRes1 { get; }
}
