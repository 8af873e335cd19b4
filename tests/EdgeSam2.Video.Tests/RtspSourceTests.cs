using EdgeSam2.Testing.Rtsp;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Video.Tests;

/// <summary>
/// The real client paths, ffmpeg's RTSP demuxer and GStreamer's <c>rtspsrc</c> (<c>Decoder: GStreamer</c>, one frame
/// period sooner: it ends a frame at the RTP marker bit), over RTSP/TCP from a GStreamer RTSP server on 127.0.0.1.
/// </summary>
public sealed class RtspSourceTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static VideoSourceOptions Options(string url, VideoDecoder decoder = VideoDecoder.Ffmpeg) => new()
    {
        Url = url,
        Decoder = decoder,
        OutputWidth = 64,
        OutputHeight = 32,
        Mode = SourceMode.Live,
        RestartMinDelay = TimeSpan.FromMilliseconds(50),
        RestartMaxDelay = TimeSpan.FromMilliseconds(200),
    };

    [Theory]
    [InlineData(VideoDecoder.Ffmpeg)]
    [InlineData(VideoDecoder.GStreamer)]
    public async Task RunAsync_RtspTestPattern_FramesArriveScaledWithTheirContent(VideoDecoder decoder)
    {
        await using var server = await RtspTestServer.StartTestPatternAsync("red", 320, 240, 25);
        await using var source = new DecoderVideoSource(Options(server.Url, decoder));
        _ = source.RunAsync(CancellationToken.None);

        var last = -1L;
        for (var i = 0; i < 5; i++)
        {
            using var frame = await source.ReadAsync();
            Assert.True(frame.Sequence > last);
            last = frame.Sequence;
            Assert.Equal(64, frame.Width);
            Assert.Equal(32, frame.Height);
            // ffmpeg's stream line, or (GStreamer printing none) the source's probe before gst-launch started.
            Assert.Equal((320, 240), (frame.SourceWidth, frame.SourceHeight));
            // H.264 is lossy: red comes back close to red, not exact.
            FrameAssert.Near(FrameAssert.Pixel(frame, 32, 16), (255, 0, 0), 12);
        }

        Assert.Equal(VideoSourceState.Streaming, source.Stats.State);
        Assert.Equal(0, source.Stats.Restarts);
    }

    [Theory]
    [InlineData(VideoDecoder.Ffmpeg)]
    [InlineData(VideoDecoder.GStreamer)]
    public async Task RunAsync_ServerDiesAndComesBackAtAnotherSize_WarnsOnceEachWayAndBacksOffFromTheMinimumAgain(VideoDecoder decoder)
    {
        var logger = new CapturingLogger<DecoderVideoSource>();
        var server = await RtspTestServer.StartTestPatternAsync("red", 320, 240, 25);
        var port = server.Port;
        var options = Options(server.Url, decoder);
        options.RestartJitter = 0;
        await using var source = new DecoderVideoSource(options, logger);
        _ = source.RunAsync(CancellationToken.None);
        try
        {
            using (var first = await source.ReadAsync())
            {
                Assert.Equal(320, first.SourceWidth);
                Assert.Equal(CaptureClock.Pts, first.Clock); // the stream's timestamps, from either decoder
            }

            // Down long enough for several failed attempts: the back-off grows.
            var lost = logger.WaitFor(LogLevel.Warning, "connecting:");
            var third = logger.WaitFor(LogLevel.Debug, "consecutive failures 3");
            await server.DisposeAsync();
            await lost.WaitAsync(FrameAssert.Timeout);
            await third.WaitAsync(FrameAssert.Timeout);
            // GStreamer probes the server before each attempt: the outage's failed probes warn once (attempts 2 and 3 probed).
            Assert.Equal(decoder == VideoDecoder.GStreamer ? 1 : 0, logger.Count(LogLevel.Warning, "could not probe"));

            server = await RtspTestServer.StartTestPatternAsync("red", 160, 96, 25, port);
            await logger.WaitFor(LogLevel.Warning, "came back at 160x96, was 320x240").WaitAsync(FrameAssert.Timeout);
            await logger.WaitFor(LogLevel.Information, "streaming again after").WaitAsync(FrameAssert.Timeout);
            // Frames from before the outage may still wait in the channel (nobody read them); the new ones follow.
            var width = 0;
            for (var i = 0; i < 10 && width != 160; i++)
            {
                using var frame = await source.ReadAsync();
                width = frame.SourceWidth;
            }

            Assert.Equal(160, width);

            // Frames flowed, so the first restart after the next loss waits the minimum again.
            var firstDelays = logger.Count(LogLevel.Debug, "(consecutive failures 1)");
            await server.DisposeAsync();
            var restart = await logger.WaitFor(LogLevel.Debug, "(consecutive failures 1)", firstDelays + 1).WaitAsync(FrameAssert.Timeout);
            Assert.Contains("in 00:00:00.0500000", restart, StringComparison.Ordinal);
            await logger.WaitFor(LogLevel.Warning, "connecting:", 2).WaitAsync(FrameAssert.Timeout);

            // Each loss is one warning, however many attempts fail after it (GStreamer's probes before them included).
            Assert.Equal(2, logger.Count(LogLevel.Warning, "connecting:"));
            Assert.Equal(1, logger.Count(LogLevel.Warning, "came back at"));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(VideoDecoder.Ffmpeg)]
    [InlineData(VideoDecoder.GStreamer)]
    public async Task RunAsync_JoinedBetweenKeyFrames_FirstFrameIsAlreadyThePicture(VideoDecoder decoder)
    {
        // A key frame every 4 s, the stream shared as a camera's is: another client reads it from its start, so the
        // decoder under test joins between key frames. libavcodec through GStreamer put out flat grey (128, 128, 128)
        // until the next key frame; a frame must be the red picture or nothing.
        await using var server = await RtspTestServer.StartTestPatternAsync("red", 320, 240, 25, gop: 100);
        await using var other = new DecoderVideoSource(Options(server.Url));
        _ = other.RunAsync(CancellationToken.None);
        (await other.ReadAsync()).Dispose();
        await using var source = new DecoderVideoSource(Options(server.Url, decoder));
        _ = source.RunAsync(CancellationToken.None);

        for (var i = 0; i < 5; i++)
        {
            using var frame = await source.ReadAsync();
            FrameAssert.Near(FrameAssert.Pixel(frame, 32, 16), (255, 0, 0), 12);
        }
    }

    [Fact]
    public async Task RunAsync_AutoOnRtsp_GStreamerDecodesAndTheLogSaysWhy()
    {
        await using var server = await RtspTestServer.StartTestPatternAsync("red", 320, 240, 25);
        var logger = new CapturingLogger<DecoderVideoSource>();
        await using var source = new DecoderVideoSource(Options(server.Url, VideoDecoder.Auto), logger);
        _ = source.RunAsync(CancellationToken.None);

        using var frame = await source.ReadAsync();

        FrameAssert.Near(FrameAssert.Pixel(frame, 32, 16), (255, 0, 0), 12);
        Assert.Equal(1, logger.Count(LogLevel.Information, "decoding with GStreamer (Decoder Auto: an rtsp:// camera"));
        Assert.Equal(1, logger.Count(LogLevel.Debug, "started gst-launch"));
    }

    [Theory]
    [InlineData(VideoDecoder.Ffmpeg)]
    [InlineData(VideoDecoder.GStreamer)]
    public async Task RunAsync_NothingListening_ReasonSaysConnectionRefused(VideoDecoder decoder)
    {
        // GStreamer itself says "Could not open resource for reading and writing"; the probe before it names the cause.
        var url = $"rtsp://127.0.0.1:{EdgeSam2.Testing.FreePort.Next()}/cam";
        await using var source = new DecoderVideoSource(Options(url, decoder));
        var down = source.WhenState(s => s.State == VideoSourceState.Connecting && s.LastError is not null);

        _ = source.RunAsync(CancellationToken.None);
        var stats = await down;

        Assert.Equal($"{url}: Connection refused", stats.LastError);
    }

    [Fact]
    public async Task RunAsync_GStreamerOnRtspWhoseCodecWasNeverProbed_NotStartedUntilAProbeNamesIt()
    {
        // Without the codec, the pipeline would be decodebin, whose decoder shows the frames before the first key frame
        // as flat grey: nothing is started until a probe names the codec.
        var url = $"rtsp://127.0.0.1:{EdgeSam2.Testing.FreePort.Next()}/cam";
        var logger = new CapturingLogger<DecoderVideoSource>();
        await using var source = new DecoderVideoSource(Options(url, VideoDecoder.GStreamer), logger);
        var down = source.WhenState(s => s.State == VideoSourceState.Connecting && s.LastError is not null);

        _ = source.RunAsync(CancellationToken.None);
        var stats = await down;

        Assert.Equal($"{url}: Connection refused", stats.LastError);
        Assert.Equal(0, logger.Count(LogLevel.Debug, "started gst-launch"));
    }

    [Fact]
    public async Task RunAsync_RtspLoopingFile_FramesCarryTheFilesColours()
    {
        await using var server = await RtspTestServer.StartFileAsync(videos.Split(5), TestVideos.Width, TestVideos.Height);
        await using var source = new DecoderVideoSource(Options(server.Url));
        _ = source.RunAsync(CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            using var frame = await source.ReadAsync();
            Assert.Equal(TestVideos.Width, frame.SourceWidth);
            FrameAssert.Near(FrameAssert.Pixel(frame, 8, 16), (255, 0, 0), 16);
            FrameAssert.Near(FrameAssert.Pixel(frame, 56, 16), (0, 0, 255), 16);
        }
    }
}
