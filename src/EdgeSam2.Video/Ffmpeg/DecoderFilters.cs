using System.Globalization;

namespace EdgeSam2.Video;

/// <summary>The ffmpeg filters every ffmpeg decoder (and the bench's floor, which decodes as the agent does) scales frames with; the GStreamer path has its own.</summary>
public static class DecoderFilters
{
    /// <summary>
    /// Planar formats the scale may output: the stream's own kind (YUV for camera codecs, planar RGB for an RGB source),
    /// so swscale scales in it and converts to rgb24 once, at the pipe.
    /// </summary>
    private const string ScaleFormats = "yuv420p|yuvj420p|yuv422p|yuvj422p|yuv444p|yuvj444p|gbrp";

    /// <summary>
    /// A bilinear squash to <paramref name="width"/>×<paramref name="height"/> in the stream's own pixel format. Scaling
    /// straight to rgb24 takes swscale's combined scale-and-convert path, which cost a 512×384 H.264 frame 1.4 ms of
    /// decoder CPU to 512×512 against 0.7 ms this way (3000 frames, one thread): CPU the graphs need on a small box.
    /// </summary>
    public static string Scale(int width, int height) =>
        string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=bilinear,format={ScaleFormats}");
}
