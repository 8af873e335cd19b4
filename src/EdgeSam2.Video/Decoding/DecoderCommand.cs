namespace EdgeSam2.Video;

/// <summary>How to start one decoder process: raw RGB frames at the output size on its stdout, diagnostics on stderr.</summary>
/// <param name="Executable">The program.</param>
/// <param name="Arguments">Its arguments, one per entry (no shell).</param>
/// <param name="Program">Its name in logs and messages: <c>ffmpeg</c> or <c>gst-launch</c>.</param>
/// <param name="ReportsPts">True when its stderr carries each frame's presentation time (ffmpeg's showinfo) and the input's stream line.</param>
/// <param name="GdpFramed">True when each frame on stdout comes in a GDP packet whose header carries its presentation time (gst-launch's <c>gdppay</c>, <see cref="GdpPacket"/>).</param>
/// <param name="Environment">Variables set for the child on top of the agent's own (null: removed).</param>
internal sealed record DecoderCommand(
    string Executable,
    IReadOnlyList<string> Arguments,
    string Program,
    bool ReportsPts,
    bool GdpFramed,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>The command for <paramref name="options"/> through <paramref name="decoder"/> (Auto resolved); <paramref name="codec"/>: the stream's, when probed (GStreamer).</summary>
    public static DecoderCommand For(VideoSourceOptions options, VideoDecoder decoder, string codec = "") => decoder == VideoDecoder.GStreamer
        ? new DecoderCommand(options.GstLaunchPath, GStreamerArguments.Build(options, codec), "gst-launch", ReportsPts: false, GdpFramed: true, GStreamerArguments.Environment(System.Environment.GetEnvironmentVariable("GST_DEBUG")))
        : new DecoderCommand(options.FfmpegPath, FfmpegArguments.Build(options), "ffmpeg", ReportsPts: true, GdpFramed: false, new Dictionary<string, string?>());
}
