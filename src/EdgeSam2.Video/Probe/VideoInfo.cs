namespace EdgeSam2.Video;

/// <summary>What ffprobe reports about a source's first video stream.</summary>
/// <param name="Width">Coded width in pixels.</param>
/// <param name="Height">Coded height in pixels.</param>
/// <param name="FrameRate">Average frame rate (falls back to the base rate); 0 when unknown.</param>
/// <param name="FrameCount">Frames in the stream when the container states them (or when counted); null for live streams and containers that do not say.</param>
/// <param name="Codec">ffprobe's <c>codec_name</c> (<c>h264</c>, <c>hevc</c> …); empty when it gave none.</param>
public sealed record VideoInfo(int Width, int Height, double FrameRate, long? FrameCount, string Codec = "");
