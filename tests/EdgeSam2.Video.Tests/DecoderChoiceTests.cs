namespace EdgeSam2.Video.Tests;

/// <summary>What Decoder Auto stands for: the rules, with GStreamer's presence given.</summary>
public sealed class DecoderChoiceTests
{
    private static VideoSourceOptions Auto(string url) => new() { Url = url, Decoder = VideoDecoder.Auto };

    [Theory]
    [InlineData("rtsp://cam/stream", true, VideoDecoder.GStreamer)]
    [InlineData("RTSP://user:pw@cam/stream", true, VideoDecoder.GStreamer)]
    [InlineData("rtsp://cam/stream", false, VideoDecoder.Ffmpeg)]
    [InlineData("rtsps://cam/stream", true, VideoDecoder.Ffmpeg)]
    [InlineData("/videos/a.mkv", true, VideoDecoder.Ffmpeg)]
    [InlineData("http://cam/mjpeg", true, VideoDecoder.Ffmpeg)]
    [InlineData("/dev/video0", true, VideoDecoder.Ffmpeg)]
    public void Resolve_ByUrlAndGStreamer(string url, bool gstreamer, VideoDecoder expected)
    {
        Assert.Equal(expected, DecoderChoice.Resolve(Auto(url), () => gstreamer).Decoder);
    }

    [Fact]
    public void Resolve_RtspAtAWidthGStreamerWouldPad_Ffmpeg()
    {
        var options = Auto("rtsp://cam/stream");
        options.OutputWidth = 1022;

        var (decoder, why) = DecoderChoice.Resolve(options, () => true);

        Assert.Equal(VideoDecoder.Ffmpeg, decoder);
        Assert.Contains("pads each RGB row", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SettingOfOneDecoder_DecidesWhateverTheUrl()
    {
        var threads = Auto("rtsp://cam/s");
        threads.DecoderThreads = 2;
        var pipeline = Auto("/videos/a.mkv");
        pipeline.GStreamerPipeline = "filesrc location={url} ! decodebin";
        var jetson = Auto("rtsp://cam/s");
        jetson.Hardware = HardwareDecoding.Jetson;
        var nvdec = Auto("rtsp://cam/s");
        nvdec.Hardware = HardwareDecoding.Nvdec;
        var format = Auto("rtsp://cam/s");
        format.InputFormat = "rtsp";

        Assert.Equal(VideoDecoder.Ffmpeg, DecoderChoice.Resolve(threads, () => true).Decoder);
        Assert.Equal(VideoDecoder.GStreamer, DecoderChoice.Resolve(pipeline, () => false).Decoder);
        Assert.Equal(VideoDecoder.GStreamer, DecoderChoice.Resolve(jetson, () => false).Decoder);
        Assert.Equal(VideoDecoder.Ffmpeg, DecoderChoice.Resolve(nvdec, () => true).Decoder);
        Assert.Equal(VideoDecoder.Ffmpeg, DecoderChoice.Resolve(format, () => true).Decoder);
    }

    [Fact]
    public void Resolve_Configured_KeptAndGStreamerNotAsked()
    {
        var options = new VideoSourceOptions { Url = "rtsp://cam/s", Decoder = VideoDecoder.Ffmpeg };

        Assert.Equal((VideoDecoder.Ffmpeg, "configured"), DecoderChoice.Resolve(options, () => throw new InvalidOperationException("asked")));
    }

    [Fact]
    public void Resolve_RtspWithoutGStreamer_SaysWhatToInstall()
    {
        var (_, why) = DecoderChoice.Resolve(Auto("rtsp://cam/s"), () => false);

        Assert.Contains("gstreamer1.0-libav", why, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AutoWithSettingsOfBothDecoders_RefusedNamingTheConflict()
    {
        var options = Auto("rtsp://cam/s");
        options.OutputWidth = 64;
        options.OutputHeight = 64;
        options.GStreamerPipeline = "rtspsrc location={url} ! decodebin";
        options.DecoderThreads = 2;

        Assert.Contains(options.Validate(), e => e.StartsWith("DecoderThreads applies to Decoder Ffmpeg only", StringComparison.Ordinal));
    }

    [Fact]
    public void GStreamerPlaysRtsp_Here_TrueAndAMissingGstLaunch_False()
    {
        // make deps installs GStreamer with its RTSP, H.264/H.265 and libav plugins on every build machine.
        Assert.True(DecoderChoice.GStreamerPlaysRtsp("gst-launch-1.0"));
        Assert.False(DecoderChoice.GStreamerPlaysRtsp("/nonexistent/gst-launch-1.0"));
    }
}
