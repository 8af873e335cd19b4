namespace EdgeSam2.Video.Tests;

public sealed class DecoderStreamInfoTests
{
    [Fact]
    public void TryParse_FfvOneInputLine_ReadsSizeAndRateNotTheCodecTag()
    {
        const string line = "  Stream #0:0: Video: ffv1 (FFV1 / 0x31564646), bgr0(pc, gbr/unknown/unknown, progressive), 64x48, SAR 1:1 DAR 4:3, 25 fps, 25 tbr, 1k tbn";

        Assert.True(DecoderStreamInfo.TryParse(line, out var info));

        Assert.Equal(new DecoderStreamInfo(64, 48, 25), info);
    }

    [Fact]
    public void TryParse_RtspH264Line_ReadsSizeBeforeSarBracket()
    {
        const string line = "  Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(tv, smpte170m, progressive), 1920x1080 [SAR 1:1 DAR 16:9], 29.97 fps, 24.83 tbr, 90k tbn";

        Assert.True(DecoderStreamInfo.TryParse(line, out var info));

        Assert.Equal(1920, info.Width);
        Assert.Equal(1080, info.Height);
        Assert.Equal(29.97, info.FrameRate, 6);
    }

    [Fact]
    public void TryParse_NoFps_FallsBackToTbr()
    {
        const string line = "    Stream #0:0: Video: mjpeg (Baseline), yuvj422p(pc, bt470bg/unknown/unknown), 640x480, 30 tbr, 1000k tbn";

        Assert.True(DecoderStreamInfo.TryParse(line, out var info));

        Assert.Equal(new DecoderStreamInfo(640, 480, 30), info);
    }

    [Theory]
    [InlineData("  Stream #0:1(eng): Audio: aac (LC), 48000 Hz, stereo, fltp")]
    [InlineData("Input #0, matroska,webm, from 'a.mkv':")]
    [InlineData("  Duration: 00:00:01.20, start: 0.000000, bitrate: 15 kb/s")]
    public void TryParse_NotAVideoStreamLine_False(string line)
    {
        Assert.False(DecoderStreamInfo.TryParse(line, out _));
    }
}

public sealed class FfmpegArgumentsTests
{
    private static VideoSourceOptions Options(string url, SourceMode mode = SourceMode.Live, bool loop = false) =>
        new() { Url = url, OutputWidth = 1024, OutputHeight = 512, Mode = mode, Loop = loop };

    [Fact]
    public void Build_LiveLoopingFile_PacesAndLoopsBeforeTheInput()
    {
        var arguments = FfmpegArguments.Build(Options("/videos/a.mp4", loop: true)).ToList();

        var input = arguments.IndexOf("-i");
        Assert.InRange(arguments.IndexOf("-re"), 0, input);
        Assert.InRange(arguments.IndexOf("-stream_loop"), 0, input);
        Assert.Equal("-1", arguments[arguments.IndexOf("-stream_loop") + 1]);
        Assert.Equal("/videos/a.mp4", arguments[input + 1]);
    }

    [Fact]
    public void Build_DeterministicFile_NoPacingNoLoop()
    {
        var arguments = FfmpegArguments.Build(Options("/videos/a.mp4", SourceMode.Deterministic));

        Assert.DoesNotContain("-re", arguments);
        Assert.DoesNotContain("-stream_loop", arguments);
    }

    [Fact]
    public void Build_Rtsp_UsesTcpAndNoPacing()
    {
        var arguments = FfmpegArguments.Build(Options("rtsp://cam/stream")).ToList();

        Assert.Equal("tcp", arguments[arguments.IndexOf("-rtsp_transport") + 1]);
        Assert.True(arguments.IndexOf("-rtsp_transport") < arguments.IndexOf("-i"));
        Assert.DoesNotContain("-re", arguments);
    }

    [Fact]
    public void Build_V4l2Device_SelectsTheV4l2Demuxer()
    {
        var arguments = FfmpegArguments.Build(Options("/dev/video0")).ToList();

        Assert.Equal("v4l2", arguments[arguments.IndexOf("-f") + 1]);
        Assert.True(arguments.IndexOf("-f") < arguments.IndexOf("-i"));
    }

    [Fact]
    public void Build_Output_SquashScalesToRawRgbOnStdout()
    {
        var options = Options("rtsp://cam/stream");
        options.InputArguments = ["-hwaccel", "cuda"];

        var arguments = FfmpegArguments.Build(options).ToList();

        Assert.Equal("scale=1024:512:flags=bilinear", arguments[arguments.IndexOf("-vf") + 1]);
        Assert.Equal("bilinear", arguments[arguments.IndexOf("-sws_flags") + 1]);
        Assert.Equal("rgb24", arguments[arguments.IndexOf("-pix_fmt") + 1]);
        Assert.Equal("passthrough", arguments[arguments.IndexOf("-fps_mode") + 1]);
        Assert.Equal("pipe:1", arguments[^1]);
        Assert.True(arguments.IndexOf("-hwaccel") < arguments.IndexOf("-i"));
    }
}

public sealed class VideoSourceOptionsTests
{
    [Fact]
    public void Validate_UsableOptions_NoErrors()
    {
        var options = new VideoSourceOptions { Url = "rtsp://cam/stream", OutputWidth = 1024, OutputHeight = 1024 };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var options = new VideoSourceOptions
        {
            Url = "rtsp://cam/stream",
            Mode = SourceMode.Deterministic,
            OutputWidth = 0,
            OutputHeight = 0,
            ChannelCapacity = 4,
            PoolSize = 4,
            StallTimeout = TimeSpan.Zero,
        };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("OutputWidth", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("OutputHeight", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Deterministic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PoolSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("StallTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithTheErrors()
    {
        var options = new VideoSourceOptions { Url = "", OutputWidth = 64, OutputHeight = 48 };

        var error = Assert.Throws<ArgumentException>(() => new FfmpegVideoSource(options));

        Assert.Contains("Url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new VideoSourceOptions();

        Assert.Equal(SourceMode.Live, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(10), options.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RestartMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RestartMaxDelay);
        Assert.Equal(2, options.ChannelCapacity);
        Assert.Equal("ffmpeg", options.FfmpegPath);
        Assert.False(options.Loop);
    }
}

public sealed class VideoUrlTests
{
    [Theory]
    [InlineData("rtsp://cam/stream", "Rtsp")]
    [InlineData("RTSPS://cam/stream", "Rtsp")]
    [InlineData("/dev/video0", "V4l2")]
    [InlineData("/videos/a.mp4", "File")]
    [InlineData("a.mkv", "File")]
    [InlineData("http://host/live.m3u8", "Network")]
    public void Classify_Url_Kind(string url, string kind)
    {
        Assert.Equal(kind, VideoUrl.Classify(url).ToString());
    }

    [Theory]
    [InlineData("rtsp://admin:s3cret@10.0.0.5:554/h264", "rtsp://admin:***@10.0.0.5:554/h264")]
    [InlineData("rtsp://admin@10.0.0.5/h264", "rtsp://admin@10.0.0.5/h264")]
    [InlineData("rtsp://10.0.0.5/a@b", "rtsp://10.0.0.5/a@b")]
    [InlineData("/videos/a.mp4", "/videos/a.mp4")]
    public void Redact_Url_HidesOnlyThePassword(string url, string expected)
    {
        Assert.Equal(expected, VideoUrlRedaction.Redact(url));
    }
}
