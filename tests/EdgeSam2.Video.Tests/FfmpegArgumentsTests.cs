namespace EdgeSam2.Video.Tests;

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
