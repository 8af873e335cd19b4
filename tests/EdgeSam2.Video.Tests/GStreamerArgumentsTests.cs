namespace EdgeSam2.Video.Tests;

public sealed class GStreamerArgumentsTests
{
    private static VideoSourceOptions Options(string url, HardwareDecoding hardware = HardwareDecoding.None, string pipeline = "") =>
        new() { Url = url, OutputWidth = 1024, OutputHeight = 512, Decoder = VideoDecoder.GStreamer, Hardware = hardware, GStreamerPipeline = pipeline };

    private static string Pipeline(VideoSourceOptions options)
    {
        var arguments = GStreamerArguments.Build(options);
        Assert.Equal(["-q", "-e"], arguments.Take(2));
        return string.Join(' ', arguments.Skip(2));
    }

    [Fact]
    public void Build_SoftwareRtsp_TcpDecodebinThenRgbAtTheOutputSizeToStdout()
    {
        var pipeline = Pipeline(Options("rtsp://cam/stream"));

        Assert.StartsWith("rtspsrc location=rtsp://cam/stream protocols=tcp", pipeline, StringComparison.Ordinal);
        Assert.Contains("tcp-timeout=5000000", pipeline, StringComparison.Ordinal);
        Assert.Contains("! decodebin !", pipeline, StringComparison.Ordinal);
        Assert.EndsWith("videoconvert ! videoscale method=bilinear add-borders=false ! video/x-raw,format=RGB,width=1024,height=512 ! gdppay ! fdsink fd=1 sync=false", pipeline, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("h264", "! rtph264depay ! h264parse ! avdec_h264 output-corrupt=false ! videoconvert")]
    [InlineData("hevc", "! rtph265depay ! h265parse ! avdec_h265 output-corrupt=false ! videoconvert")]
    [InlineData("mjpeg", "! decodebin ! videoconvert")]
    public void Build_SoftwareRtspOfAProbedCodec_ItsDecoderWithoutCorruptFrames(string codec, string decoding)
    {
        var pipeline = string.Join(' ', GStreamerArguments.Build(Options("rtsp://cam/stream"), codec));

        Assert.Contains(decoding, pipeline, StringComparison.Ordinal);
    }

    [Fact]
    public void CodecsWithNamedDecoder_EachGetsItsDecoderWithoutCorruptFrames()
    {
        Assert.All(GStreamerArguments.CodecsWithNamedDecoder, codec =>
        {
            var pipeline = string.Join(' ', GStreamerArguments.Build(Options("rtsp://cam/stream"), codec));
            Assert.Contains("output-corrupt=false", pipeline, StringComparison.Ordinal);
            Assert.DoesNotContain("decodebin", pipeline, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("rtsp://cam/stream", HardwareDecoding.None, "", true)]
    [InlineData("rtsp://cam/stream", HardwareDecoding.Jetson, "", false)]
    [InlineData("rtsp://cam/stream", HardwareDecoding.None, "rtspsrc location={url} ! decodebin", false)]
    [InlineData("/videos/a.mkv", HardwareDecoding.None, "", false)]
    public void DecoderFollowsCodec_TrueExactlyWhereTheCodecChangesThePipeline(string url, HardwareDecoding hardware, string pipeline, bool follows)
    {
        var options = Options(url, hardware, pipeline);

        Assert.Equal(follows, GStreamerArguments.DecoderFollowsCodec(options));
        Assert.Equal(follows, !GStreamerArguments.Build(options, "h264").SequenceEqual(GStreamerArguments.Build(options)));
    }

    [Fact]
    public void Build_JetsonRtsp_HardwareDecoderAndVicScaling()
    {
        var pipeline = Pipeline(Options("rtsp://cam/stream", HardwareDecoding.Jetson));

        Assert.Contains("rtph264depay ! h264parse ! nvv4l2decoder ! nvvidconv ! video/x-raw,format=RGBA,width=1024,height=512 ! videoconvert ! video/x-raw,format=RGB,width=1024,height=512 ! gdppay ! fdsink fd=1", pipeline, StringComparison.Ordinal);
        Assert.DoesNotContain("decodebin", pipeline, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ConfiguredPipeline_UrlSubstitutedAndTheFixedTailAppended()
    {
        var pipeline = Pipeline(Options("/videos/a.mkv", pipeline: "filesrc location={url} ! matroskademux ! avdec_h264"));

        Assert.StartsWith("filesrc location=/videos/a.mkv ! matroskademux ! avdec_h264 ! videoconvert ! videoscale", pipeline, StringComparison.Ordinal);
        // A Live file plays at its own rate: the sink syncs to the pipeline clock.
        Assert.EndsWith("gdppay ! fdsink fd=1 sync=true", pipeline, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenise_QuotedValueWithSpaces_StaysOneTokenWithoutQuotes()
    {
        Assert.Equal(["filesrc", "location=/a b.mkv", "!", "decodebin"], GStreamerArguments.Tokenise("filesrc location=\"/a b.mkv\"  ! decodebin"));
    }

    [Fact]
    public void Build_V4l2_DeviceSource()
    {
        Assert.StartsWith("v4l2src device=/dev/video0 ! videoconvert", Pipeline(Options("/dev/video0")), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_PresetsOnTheWrongDecoderAndAPipelineWithItsOwnSink_AreNamed()
    {
        var jetsonOnFfmpeg = new VideoSourceOptions { Url = "rtsp://cam/s", OutputWidth = 8, OutputHeight = 8, Hardware = HardwareDecoding.Jetson };
        var nvdecOnGst = Options("rtsp://cam/s", HardwareDecoding.Nvdec);
        var ownSink = Options("rtsp://cam/s", pipeline: "videotestsrc ! fdsink fd=1");

        Assert.Contains(jetsonOnFfmpeg.Validate(), e => e.Contains("set Decoder to GStreamer", StringComparison.Ordinal));
        Assert.Contains(nvdecOnGst.Validate(), e => e.Contains("set Decoder to Ffmpeg", StringComparison.Ordinal));
        Assert.Contains(ownSink.Validate(), e => e.Contains("fdsink", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rtsp://cam/s\" ! filesink location=/tmp/injected ! fakesink \"", "rtsp://cam/s%22%20!%20filesink%20location=/tmp/injected%20!%20fakesink%20%22")]
    [InlineData("rtsp://user:pa\\ss@cam/s", "rtsp://user:pa%5Css@cam/s")]
    [InlineData("rtsp://cam/s\tx\ny", "rtsp://cam/s%09x%0Ay")]
    [InlineData("rtsp://user:p!w@cam/s?x=1&y=2", "rtsp://user:p!w@cam/s?x=1&y=2")]
    public void Build_RtspUrlWithQuotesSpacesOrEscapes_StaysOneLocationValue(string url, string location)
    {
        var arguments = GStreamerArguments.Build(Options(url), "h264");

        // One token holds the whole URL, and gst-launch, which re-joins its arguments escaping the spaces outside quotes
        // and parses the result, finds nothing in it to quote, escape or split at.
        Assert.Contains($"location={location}", arguments);
        Assert.DoesNotContain("filesink", arguments);
        Assert.Equal(1, arguments.Count(a => a.Contains("cam/s", StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_ConfiguredPipelineWithAnRtspUrl_UrlEscapedThere()
    {
        var arguments = GStreamerArguments.Build(Options("rtsp://cam/a\" b", pipeline: "rtspsrc location={url} ! decodebin"));

        Assert.Contains("location=rtsp://cam/a%22%20b", arguments);
    }

    [Fact]
    public void Validate_GStreamerGivenAPathItsParserActsOnOrRowsItWouldPad_Refused()
    {
        var quoted = Options("/videos/a\"b.mkv");
        var backslash = Options("/videos/a\\b.mkv");
        var spaced = Options("/videos/a b.mkv");
        var padded = Options("rtsp://cam/s");
        padded.OutputWidth = 1022;

        Assert.Contains(quoted.Validate(), e => e.Contains("U+0022", StringComparison.Ordinal));
        Assert.Contains(backslash.Validate(), e => e.Contains("U+005C", StringComparison.Ordinal));
        Assert.Empty(spaced.Validate()); // a path may hold spaces: it is quoted
        Assert.Contains(padded.Validate(), e => e.Contains("multiple of 4", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, "libav:1")]
    [InlineData("", "libav:1")]
    [InlineData("3", "3,libav:1")]
    [InlineData("rtspsrc:6", "rtspsrc:6,libav:1")]
    [InlineData("libav:4,rtspsrc:6", "libav:4,rtspsrc:6")]
    public void Environment_OperatorsDebugKeptWithLibavErrorsAddedAndTheLogOnStderr(string? operatorDebug, string expected)
    {
        var variables = GStreamerArguments.Environment(operatorDebug);

        Assert.Equal(expected, variables["GST_DEBUG"]);
        Assert.True(variables.ContainsKey("GST_DEBUG_FILE"));
        Assert.Null(variables["GST_DEBUG_FILE"]);
    }
}
