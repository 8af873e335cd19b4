namespace EdgeSam2.Video.Tests;

public sealed class FfmpegArgumentsTests
{
    private static VideoSourceOptions Options(string url, SourceMode mode = SourceMode.Live, bool loop = false) =>
        new() { Url = url, OutputWidth = 1024, OutputHeight = 512, Mode = mode, Loop = loop };

    private static string After(List<string> arguments, string option) => arguments[arguments.IndexOf(option) + 1];

    [Fact]
    public void Build_LiveLoopingFile_PacesAndLeavesLoopingToTheSupervisor()
    {
        var arguments = FfmpegArguments.Build(Options("/videos/a.mp4", loop: true)).ToList();

        var input = arguments.IndexOf("-i");
        Assert.InRange(arguments.IndexOf("-re"), 0, input);
        Assert.DoesNotContain("-stream_loop", arguments);
        Assert.Equal("/videos/a.mp4", arguments[input + 1]);
    }

    [Theory]
    [InlineData("/videos/a.mp4")]
    [InlineData("rtsp://cam/stream")]
    [InlineData("/dev/video0")]
    public void Build_Live_SliceThreadingOnlyBeforeTheInput(string url)
    {
        var arguments = FfmpegArguments.Build(Options(url)).ToList();

        Assert.Equal("slice", After(arguments, "-thread_type"));
        Assert.InRange(arguments.IndexOf("-thread_type"), 0, arguments.IndexOf("-i"));
    }

    [Fact]
    public void Build_LiveWithFrameThreadingInTheInputArguments_TheirsComeLaterAndWin()
    {
        var options = Options("rtsp://cam/stream");
        options.InputArguments = ["-thread_type", "frame+slice"];
        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal("frame+slice", arguments[arguments.LastIndexOf("-thread_type") + 1]);
        Assert.True(arguments.IndexOf("-thread_type") < arguments.LastIndexOf("-thread_type"));
        Assert.True(arguments.LastIndexOf("-thread_type") < arguments.IndexOf("-i"));
    }

    [Fact]
    public void Build_DeterministicFile_KeepsFrameThreading()
    {
        Assert.DoesNotContain("-thread_type", FfmpegArguments.Build(Options("/videos/a.mp4", SourceMode.Deterministic)));
    }

    [Theory]
    [InlineData(SourceMode.Live, DecoderThreading.Frame, "frame+slice")]
    [InlineData(SourceMode.Deterministic, DecoderThreading.Frame, "frame+slice")]
    [InlineData(SourceMode.Deterministic, DecoderThreading.Slice, "slice")]
    [InlineData(SourceMode.Live, DecoderThreading.Slice, "slice")]
    public void Build_DecoderThreadingSet_IsTheOneThreadTypeBeforeTheInput(SourceMode mode, DecoderThreading threading, string threadType)
    {
        var options = Options("/videos/a.mp4", mode);
        options.DecoderThreading = threading;
        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal(threadType, After(arguments, "-thread_type"));
        Assert.Single(arguments, a => a == "-thread_type");
        Assert.InRange(arguments.IndexOf("-thread_type"), 0, arguments.IndexOf("-i"));
    }

    [Fact]
    public void Validate_DecoderThreadingWithGStreamer_NamesTheOption()
    {
        var options = Options("rtsp://camera/stream");
        options.Decoder = VideoDecoder.GStreamer;
        Assert.DoesNotContain(options.Validate(), e => e.StartsWith("DecoderThreading", StringComparison.Ordinal));

        options.DecoderThreading = DecoderThreading.Frame;
        Assert.Contains(options.Validate(), e => e.StartsWith("DecoderThreading applies to Decoder Ffmpeg only", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DecoderThreadingUndefined_NamesTheValues()
    {
        var options = Options("rtsp://camera/stream");
        options.DecoderThreading = (DecoderThreading)7;
        Assert.Contains("DecoderThreading 7 is not one of Auto, Slice, Frame.", options.Validate());
    }

    [Fact]
    public void Build_DeterministicFile_NoPacingNoLoop()
    {
        var arguments = FfmpegArguments.Build(Options("/videos/a.mp4", SourceMode.Deterministic));

        Assert.DoesNotContain("-re", arguments);
        Assert.DoesNotContain("-stream_loop", arguments);
    }

    [Fact]
    public void Build_Rtsp_UsesTcpWithTheNetworkTimeoutInMicroseconds()
    {
        var options = Options("rtsps://cam/stream");
        options.NetworkTimeout = TimeSpan.FromSeconds(3);
        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal("tcp", After(arguments, "-rtsp_transport"));
        Assert.Equal("3000000", After(arguments, "-timeout"));
        Assert.Equal("500000", After(arguments, "-analyzeduration"));
        Assert.True(arguments.IndexOf("-timeout") < arguments.IndexOf("-i"));
        Assert.DoesNotContain("-re", arguments);
    }

    [Fact]
    public void Build_HttpMjpeg_ReadTimeoutHalfASecondOfProbingAndForcedFormat()
    {
        var options = Options("http://cam/video.mjpg");
        options.InputFormat = "mpjpeg";
        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal("5000000", After(arguments, "-rw_timeout"));
        Assert.Equal(("500000", "1000000"), (After(arguments, "-analyzeduration"), After(arguments, "-probesize")));
        Assert.InRange(arguments.IndexOf("-analyzeduration"), 0, arguments.IndexOf("-i"));
        Assert.Equal("mpjpeg", After(arguments, "-f"));
        Assert.True(arguments.IndexOf("-f") < arguments.IndexOf("-i"));
    }

    [Fact]
    public void Build_V4l2Device_SelectsTheDemuxerPixelFormatSizeAndRate()
    {
        var options = Options("/dev/video0");
        options.V4l2PixelFormat = "mjpeg";
        options.V4l2Size = "1280x720";
        options.V4l2FrameRate = 30;
        var arguments = FfmpegArguments.Build(options).ToList();

        var input = arguments.IndexOf("-i");
        Assert.Equal("v4l2", After(arguments, "-f"));
        Assert.Equal("mjpeg", After(arguments, "-input_format"));
        Assert.Equal("1280x720", After(arguments, "-video_size"));
        Assert.Equal("30", After(arguments, "-framerate"));
        Assert.All(["-f", "-input_format", "-video_size", "-framerate"], o => Assert.InRange(arguments.IndexOf(o), 0, input));
    }

    [Fact]
    public void Build_DecoderThreads_SetsTheDecodersThreadsBeforeTheInput()
    {
        var options = Options("/videos/a.mp4");
        var defaults = FfmpegArguments.Build(options).ToList();
        Assert.NotInRange(defaults.IndexOf("-threads"), 0, defaults.IndexOf("-i"));

        options.DecoderThreads = 1;
        var arguments = FfmpegArguments.Build(options).ToList();
        Assert.Equal("1", After(arguments, "-threads"));
        Assert.InRange(arguments.IndexOf("-threads"), 0, arguments.IndexOf("-i"));
    }

    [Theory]
    [InlineData(SourceMode.Live)]
    [InlineData(SourceMode.Deterministic)]
    public void Build_Output_RawvideoEncodedOnOneThread_NoFrameHeldForTheNext(SourceMode mode)
    {
        var options = Options("/videos/a.mp4", mode);
        options.DecoderThreads = 4;
        var arguments = FfmpegArguments.Build(options).ToList();

        var output = arguments.LastIndexOf("-threads");
        Assert.Equal("1", arguments[output + 1]);
        Assert.InRange(output, arguments.IndexOf("-i"), arguments.IndexOf("rawvideo"));
        Assert.Equal("4", After(arguments, "-threads")); // the decoder's, before the input
        Assert.Equal("0", After(arguments, "-filter_threads")); // the scaling's own: automatic, not the encoder's one
        Assert.InRange(arguments.IndexOf("-filter_threads"), 0, arguments.IndexOf("-i"));
    }

    [Fact]
    public void Validate_DecoderThreadsWithGStreamer_NamesTheOption()
    {
        var options = Options("rtsp://camera/stream");
        options.Decoder = VideoDecoder.GStreamer;
        options.DecoderThreads = 2;
        Assert.Contains(options.Validate(), e => e.StartsWith("DecoderThreads applies to Decoder Ffmpeg only", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_Nvdec_AsksForCudaDecodingBeforeTheInput()
    {
        var options = Options("rtsp://cam/stream");
        options.Hardware = HardwareDecoding.Nvdec;
        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal("cuda", After(arguments, "-hwaccel"));
        Assert.True(arguments.IndexOf("-hwaccel") < arguments.IndexOf("-i"));
        Assert.DoesNotContain("-hwaccel", FfmpegArguments.Build(Options("rtsp://cam/stream")));
    }

    [Fact]
    public void Build_Output_SquashScalesToRawRgbOnStdoutWithPtsOnStderr()
    {
        var options = Options("rtsp://cam/stream");
        options.InputArguments = ["-hwaccel_device", "1"];

        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal("scale=1024:512:flags=bilinear,format=yuv420p|yuvj420p|yuv422p|yuvj422p|yuv444p|yuvj444p|gbrp,showinfo=checksum=0", After(arguments, "-vf"));
        Assert.Equal("bilinear", After(arguments, "-sws_flags"));
        Assert.Equal("rgb24", After(arguments, "-pix_fmt"));
        Assert.Equal("passthrough", After(arguments, "-fps_mode"));
        Assert.Equal("info", After(arguments, "-loglevel"));
        Assert.Equal("pipe:1", arguments[^1]);
        Assert.True(arguments.IndexOf("-hwaccel_device") < arguments.IndexOf("-i"));
    }
}
