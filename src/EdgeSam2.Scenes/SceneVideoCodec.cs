namespace EdgeSam2.Scenes;

/// <summary>How <see cref="SceneVideo"/> encodes a scene.</summary>
public enum SceneVideoCodec
{
    /// <summary>Lossless FFV1 in Matroska: decoded frames equal rendered ones.</summary>
    Ffv1,

    /// <summary>H.264 (libx264, 4:2:0, no B-frames, a key frame every 2 s), as an IP camera delivers it; lossy.</summary>
    H264,
}
