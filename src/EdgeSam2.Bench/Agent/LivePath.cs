using EdgeSam2.Video;

namespace EdgeSam2.Bench.Agent;

/// <summary>
/// One way a Live frame travels from the bench's camera into the agent: how the camera serves it and which decoder
/// the agent reads it with. The paths differ by where a frame's end is found: ffmpeg's H.264 parser finds it only
/// where the next frame starts (from a byte stream and from RTP alike), GStreamer's depayloader at the RTP marker bit.
/// </summary>
/// <param name="Suffix">Added to the case's name (<c>live{Suffix}-objects1</c>).</param>
/// <param name="Protocol">How the camera serves the stream.</param>
/// <param name="Decoder">The decoder that reads it.</param>
/// <param name="Configured">The camera's <c>Decoder</c> setting; null leaves the agent's default (Auto) to choose.</param>
/// <param name="Label">How the report names the path, the agent's default decoder or not.</param>
internal sealed record LivePath(string Suffix, CameraProtocol Protocol, VideoDecoder Decoder, VideoDecoder? Configured, string Label)
{
    /// <summary>Raw H.264 over TCP, which the default sends to ffmpeg: the path the 8-object Live run takes too.</summary>
    public static readonly LivePath RawFfmpeg = new("", CameraProtocol.RawH264, VideoDecoder.Ffmpeg, null, "raw H.264 over TCP, ffmpeg (default decoder)");

    /// <summary>The agent's ffprobe connections before the decoder's: its probe at start, and GStreamer's before each start.</summary>
    public int Probes => Decoder == VideoDecoder.GStreamer ? 2 : 1;

    public static readonly IReadOnlyList<LivePath> All =
    [
        RawFfmpeg,
        new("-rtsp", CameraProtocol.Rtsp, VideoDecoder.Ffmpeg, VideoDecoder.Ffmpeg, "RTSP, ffmpeg (Decoder: Ffmpeg)"),
        new("-rtsp-gstreamer", CameraProtocol.Rtsp, VideoDecoder.GStreamer, null, "RTSP, GStreamer (default decoder)"),
    ];
}
