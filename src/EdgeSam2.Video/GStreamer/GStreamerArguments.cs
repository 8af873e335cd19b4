using System.Buffers;
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
            ? options.GStreamerPipeline.Replace("{url}", IsPath(options.Url) ? options.Url : Escape(options.Url), StringComparison.Ordinal)
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
    /// kept, with <c>libav:1</c> added unless it names libav itself; <c>GST_DEBUG_FILE</c> is cleared for the child,
    /// since the log must reach stderr to be counted. Colour codes are off: stderr is a pipe read line by line.
    /// </summary>
    /// <param name="operatorDebug">The agent's own <c>GST_DEBUG</c>, if any.</param>
    public static IReadOnlyDictionary<string, string?> Environment(string? operatorDebug)
    {
        var debug = string.IsNullOrWhiteSpace(operatorDebug) ? "libav:1"
            : operatorDebug.Contains("libav", StringComparison.Ordinal) ? operatorDebug
            : operatorDebug + ",libav:1";
        return new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["GST_DEBUG_NO_COLOR"] = "1",
            ["GST_DEBUG"] = debug,
            ["GST_DEBUG_FILE"] = null,
        };
    }

    /// <summary>
    /// A URL as one value of a gst-launch description: gst-launch re-joins its arguments and parses the result, so a
    /// double quote in a URL would end the value and let the rest be read as elements of the pipeline, and a backslash
    /// would be dropped as an escape. Both, and whitespace and control characters (none of which a URL may hold as
    /// they are), are percent-encoded: rtspsrc decodes them in the user name and password, and a server in the path.
    /// File paths are not URLs and are refused instead (<see cref="UnsafeInPath"/>).
    /// </summary>
    public static string Escape(string url)
    {
        if (url.AsSpan().IndexOfAny(UrlUnsafe) < 0)
        {
            return url;
        }

        // Every character to encode is ASCII: one byte, one %XX.
        var escaped = new System.Text.StringBuilder(url.Length + 8);
        foreach (var c in url)
        {
            if (UrlUnsafe.Contains(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"%{(int)c:X2}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// The first character a file or device path cannot carry into a gst-launch description (a double quote or a
    /// backslash, which its parser takes as quoting and escaping, or a control character), or null when there is none.
    /// </summary>
    public static char? UnsafeInPath(string path)
    {
        var at = path.AsSpan().IndexOfAny(PathUnsafe);
        return at < 0 ? null : path[at];
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
                VideoUrlKind.Rtsp => $"rtspsrc location=\"{Escape(url)}\" protocols=tcp latency=100 tcp-timeout={timeoutUs} ! rtph264depay ! h264parse ! nvv4l2decoder",
                VideoUrlKind.V4l2 => $"v4l2src device=\"{url}\"",
                _ => $"uridecodebin uri=\"{Escape(Uri(url))}\"",
            };
        }

        return kind switch
        {
            VideoUrlKind.Rtsp => $"rtspsrc location=\"{Escape(url)}\" protocols=tcp latency=100 tcp-timeout={timeoutUs} ! {RtspDecoder(codec)}",
            VideoUrlKind.V4l2 => $"v4l2src device=\"{url}\"",
            VideoUrlKind.File => $"filesrc location=\"{Path(url)}\" ! decodebin",
            _ => $"uridecodebin uri=\"{Escape(url)}\"",
        };
    }

    /// <summary>
    /// A camera's stream is joined where it is (one encoder serves every client), between key frames, and libavcodec
    /// through GStreamer outputs the frames it cannot decode there as flat grey (gst-libav sets <c>output-corrupt</c>,
    /// which turns on libavcodec's show-all) until the next key frame: up to a group of pictures (1–4 s) of grey frames
    /// on each connect, fed to tracking as they come. ffmpeg's own decoder skips them. <c>output-corrupt=false</c>
    /// does the same here, but decodebin's decoder cannot be set from gst-launch, so the probed codec names it: these
    /// are the probed codecs (ffprobe's names) whose RTSP pipeline names its decoder; the others go through decodebin.
    /// </summary>
    public static readonly IReadOnlyList<string> CodecsWithNamedDecoder = ["h264", "hevc"];

    /// <summary>
    /// Whether the pipeline for <paramref name="options"/> is chosen by the stream's codec (<see cref="Build"/>'s
    /// <c>codec</c>): the built-in RTSP pipeline in software. A configured pipeline and the Jetson preset name their
    /// decoder themselves.
    /// </summary>
    public static bool DecoderFollowsCodec(VideoSourceOptions options) =>
        options.GStreamerPipeline.Length == 0
        && options.Hardware != HardwareDecoding.Jetson
        && VideoUrl.Classify(options.Url) == VideoUrlKind.Rtsp;

    // Control characters, which no path or URL should hold as they are, and the two characters gst-launch's parser acts
    // on inside a value: '"' (quoting) and '\' (escaping). A URL may not hold a space either (a path may: it is quoted).
    private static readonly string ParserCharacters = string.Concat(Enumerable.Range(0, 32).Select(i => (char)i)) + "\u007f\"\\";
    private static readonly SearchValues<char> PathUnsafe = SearchValues.Create(ParserCharacters);
    private static readonly SearchValues<char> UrlUnsafe = SearchValues.Create(ParserCharacters + " ");

    private static string RtspDecoder(string codec) => codec switch
    {
        "h264" => "rtph264depay ! h264parse ! avdec_h264 output-corrupt=false",
        "hevc" => "rtph265depay ! h265parse ! avdec_h265 output-corrupt=false",
        _ => "decodebin",
    };

    /// <summary>
    /// Whether GStreamer writes RGB rows <paramref name="width"/> pixels wide without padding: it pads each row to a
    /// multiple of 4 bytes, and the frame contract is packed rows.
    /// </summary>
    public static bool RowsUnpadded(int width) => width * 3 % 4 == 0;

    /// <summary>Whether gst-launch is given <paramref name="url"/> as a path (a file or a V4L2 device), not a URL.</summary>
    public static bool IsPath(string url) => VideoUrl.Classify(url) is VideoUrlKind.File or VideoUrlKind.V4l2;

    private static string Path(string url) => url.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? url[5..] : url;

    private static string Uri(string url) => VideoUrl.Classify(url) == VideoUrlKind.File ? new Uri(System.IO.Path.GetFullPath(Path(url))).AbsoluteUri : url;
}
