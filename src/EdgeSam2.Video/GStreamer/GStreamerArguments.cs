using System.Globalization;

namespace EdgeSam2.Video;

/// <summary>
/// The gst-launch-1.0 command line for one source: a decoding pipeline (configured, the Jetson preset, or
/// <c>uridecodebin</c>) followed by a fixed tail that converts to RGB at the output size and writes it to stdout, so
/// the frame contract is the same as ffmpeg's whatever the pipeline. Each frame goes out in a GDP packet
/// (<c>gdppay</c>, <see cref="GdpPacket"/>), whose header keeps the frame's presentation time, which a raw pipe loses.
/// </summary>
internal static class GStreamerArguments
{
    /// <param name="options">The source.</param>
    /// <param name="codec">The stream's codec as ffprobe names it (<c>h264</c>, <c>hevc</c>) when probed; empty when not known.</param>
    public static IReadOnlyList<string> Build(VideoSourceOptions options, string codec = "")
    {
        var head = options.GStreamerPipeline.Length > 0
            ? options.GStreamerPipeline.Replace("{url}", options.Url, StringComparison.Ordinal)
            : DefaultHead(options, codec);
        var size = string.Create(CultureInfo.InvariantCulture, $"width={options.OutputWidth},height={options.OutputHeight}");
        var tail = options.Hardware == HardwareDecoding.Jetson
            // nvvidconv scales on the VIC; only the colour conversion to packed RGB is left to the CPU.
            ? $"nvvidconv ! video/x-raw,format=RGBA,{size} ! videoconvert ! video/x-raw,format=RGB,{size}"
            : $"videoconvert ! videoscale method=bilinear add-borders=false ! video/x-raw,format=RGB,{size}";

        // A Live file plays at its own rate (the sink syncs to the clock); a live stream is written as it comes.
        var sync = VideoUrl.Classify(options.Url) == VideoUrlKind.File && options.Mode == SourceMode.Live ? "true" : "false";

        // -q: gst-launch prints nothing on stdout, which carries the frames; -e: end of stream ends the process cleanly.
        return ["-q", "-e", .. Tokenise($"{head} ! {tail} ! gdppay ! fdsink fd=1 sync={sync}")];
    }

    /// <summary>
    /// libavcodec's own error lines ("error while decoding MB …", "concealing … errors") on stderr, as ffmpeg prints
    /// them, so decoding errors count against <c>MaxDecodeErrors</c>: gst-libav passes them to GStreamer's debug log
    /// (category <c>libav</c>, level ERROR), which is silent unless asked for. An operator's own <c>GST_DEBUG</c> is
    /// left as it is. Colour codes are off: stderr is a pipe read line by line.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["GST_DEBUG_NO_COLOR"] = "1" };
        if (string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("GST_DEBUG")))
        {
            variables["GST_DEBUG"] = "libav:1";
        }

        return variables;
    }

    /// <summary>
    /// gst-launch takes each argument as one token (it escapes the spaces inside it), so the description is split at
    /// spaces outside double quotes and the quotes are dropped: <c>location="/a b.mkv"</c> stays one token.
    /// </summary>
    public static List<string> Tokenise(string description)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in description)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ' ' && !quoted)
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
            }
            else
            {
                current.Append(c);
            }
        }

        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    private static string DefaultHead(VideoSourceOptions options, string codec)
    {
        var url = options.Url;
        var kind = VideoUrl.Classify(url);
        var timeoutUs = ((long)options.NetworkTimeout.TotalMicroseconds).ToString(CultureInfo.InvariantCulture);
        if (options.Hardware == HardwareDecoding.Jetson)
        {
            return kind switch
            {
                VideoUrlKind.Rtsp => $"rtspsrc location=\"{url}\" protocols=tcp latency=100 tcp-timeout={timeoutUs} ! rtph264depay ! h264parse ! nvv4l2decoder",
                VideoUrlKind.V4l2 => $"v4l2src device={url}",
                _ => $"uridecodebin uri=\"{Uri(url)}\"",
            };
        }

        return kind switch
        {
            VideoUrlKind.Rtsp => $"rtspsrc location=\"{url}\" protocols=tcp latency=100 tcp-timeout={timeoutUs} ! {RtspDecoder(codec)}",
            VideoUrlKind.V4l2 => $"v4l2src device={url}",
            VideoUrlKind.File => $"filesrc location=\"{Path(url)}\" ! decodebin",
            _ => $"uridecodebin uri=\"{url}\"",
        };
    }

    /// <summary>
    /// A camera's stream is joined where it is (one encoder serves every client), between key frames, and libavcodec
    /// through GStreamer outputs the frames it cannot decode there as flat grey (gst-libav sets <c>output-corrupt</c>,
    /// which turns on libavcodec's show-all) until the next key frame: up to a group of pictures (1–4 s) of grey frames
    /// on each connect, fed to tracking as they come. ffmpeg's own decoder skips them. <c>output-corrupt=false</c>
    /// does the same here, but decodebin's decoder cannot be set from gst-launch, so the probed codec names it.
    /// </summary>
    /// <summary>The probed codecs (ffprobe's names) whose RTSP pipeline names its decoder: the others go through decodebin.</summary>
    public static readonly IReadOnlyList<string> CodecsWithNamedDecoder = ["h264", "hevc"];

    private static string RtspDecoder(string codec) => codec switch
    {
        "h264" => "rtph264depay ! h264parse ! avdec_h264 output-corrupt=false",
        "hevc" => "rtph265depay ! h265parse ! avdec_h265 output-corrupt=false",
        _ => "decodebin",
    };

    private static string Path(string url) => url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? url[5..] : url;

    private static string Uri(string url) => VideoUrl.Classify(url) == VideoUrlKind.File ? new Uri(System.IO.Path.GetFullPath(Path(url))).AbsoluteUri : url;
}
