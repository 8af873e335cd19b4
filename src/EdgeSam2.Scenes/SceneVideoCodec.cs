namespace EdgeSam2.Scenes;

/// <summary>How <see cref="SceneVideo"/> encodes a scene.</summary>
public enum SceneVideoCodec
{
    /// <summary>Lossless FFV1 in Matroska: decoded frames equal rendered ones.</summary>
    Ffv1,

    /// <summary>H.264 (libx264, 4:2:0, no B-frames, a key frame every 2 s), as an IP camera delivers it; lossy.</summary>
    H264,

    /// <summary>
    /// The same H.264 as a raw Annex B byte stream (no container) with an access unit delimiter before each frame, so it
    /// can be sent a frame at a time, as a camera sends it (<c>EdgeSam2.Video.H264AccessUnits</c> finds the frames).
    /// </summary>
    H264Stream,
}
