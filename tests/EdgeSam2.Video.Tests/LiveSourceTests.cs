using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Video.Tests;

/// <summary>Live sources: real-time pacing, newest frame wins, restarts on exit and stall, clean shutdown.</summary>
public sealed class LiveSourceTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static VideoSourceOptions Options(string url) => new()
    {
        Url = url,
        OutputWidth = TestVideos.Width,
        OutputHeight = TestVideos.Height,
        Mode = SourceMode.Live,
        ChannelCapacity = 2,
        PoolSize = 4,
        RestartMinDelay = TimeSpan.FromMilliseconds(10),
        RestartMaxDelay = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task RunAsync_ConsumerNeverReads_DropsOldestAndHoldsOnlyTheChannelsBuffers()
    {
        var options = Options(videos.Gradient(50, 100));
        options.RestartMinDelay = options.RestartMaxDelay = TimeSpan.FromMinutes(10);
        await using var source = new DecoderVideoSource(options);
        var ended = source.WhenState(s => s.State == VideoSourceState.Finished);

        _ = source.RunAsync(CancellationToken.None);
        var stats = await ended;

        Assert.Equal(50, stats.FramesDecoded);
        Assert.Equal(48, stats.FramesDropped);
        Assert.Equal(2, source.Pool.Outstanding);
        Assert.True(source.Frames.TryRead(out var newest));
        using (newest)
        {
            // Newest wins: what is left in the channel is the end of the file.
            Assert.Equal(48, newest.Sequence);
            FrameAssert.Uniform(newest, TestVideos.GradientColour(48));
        }
    }

    [Fact]
    public async Task RunAsync_ConsumerHoldsFrames_PoolBoundsBuffersAndCountsDrops()
    {
        // A second of video: the consumer takes its two frames long before the file ends.
        var options = Options(videos.Gradient(100, 100));
        options.RestartMinDelay = options.RestartMaxDelay = TimeSpan.FromMinutes(10);
        await using var source = new DecoderVideoSource(options);
        var ended = source.WhenState(s => s.State == VideoSourceState.Finished);

        _ = source.RunAsync(CancellationToken.None);
        var held = new[] { await source.ReadAsync(), await source.ReadAsync() };
        var stats = await ended;

        Assert.Equal(100, stats.FramesDecoded);
        Assert.Equal(options.PoolSize, source.Pool.Outstanding);
        Assert.Equal(100 - options.PoolSize, stats.FramesDropped);
        Assert.True(source.Pool.RentFailures > 0);
        foreach (var frame in held)
        {
            frame.Dispose();
        }
    }

    [Fact]
    public async Task RunAsync_FileWithoutLoop_FinishesAtItsEndWithoutRestarting()
    {
        await using var source = new DecoderVideoSource(Options(videos.Gradient(10, 100)));
        var finished = source.WhenState(s => s.State == VideoSourceState.Finished);

        var run = source.RunAsync(CancellationToken.None);
        var frames = new List<long>();
        await foreach (var frame in source.Frames.ReadAllAsync().WithCancellation(new CancellationTokenSource(FrameAssert.Timeout).Token))
        {
            using (frame)
            {
                frames.Add(frame.Sequence);
            }
        }

        var stats = await finished;
        await run.WaitAsync(FrameAssert.Timeout);
        Assert.Equal(10, stats.FramesDecoded);
        Assert.Equal(0, stats.Restarts);
        Assert.Equal(0, stats.Loops);
        // Live: a slow reader may lose frames to newer ones, but never sees one twice or out of order.
        Assert.Equal(frames.Order(), frames);
        Assert.Equal(frames.Distinct().Count(), frames.Count);
        Assert.Equal(9, frames[^1]);
        Assert.Contains("end of file", stats.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_LoopingFile_PlaysAgainCountingLoopsNotRestarts()
    {
        const int FileFrames = 10;
        var options = Options(videos.Gradient(FileFrames, 100));
        options.Loop = true;
        await using var source = new DecoderVideoSource(options);
        _ = source.RunAsync(CancellationToken.None);

        var last = -1L;
        while (last < (2 * FileFrames) + 5)
        {
            using var frame = await source.ReadAsync();
            Assert.True(frame.Sequence > last, $"sequence {frame.Sequence} after {last}");
            // Each pass decodes the file from its start, so content follows the sequence modulo the file's length,
            // and the frame says which pass it belongs to.
            FrameAssert.Uniform(frame, TestVideos.GradientColour(frame.Sequence % FileFrames));
            Assert.Equal(frame.Sequence / FileFrames, frame.Loop);
            Assert.Equal(CaptureClock.Pts, frame.Clock);
            last = frame.Sequence;
        }

        Assert.True(source.Stats.Loops >= 2, $"loops {source.Stats.Loops}");
        Assert.Equal(0, source.Stats.Restarts);
        Assert.Equal(VideoSourceState.Streaming, source.Stats.State);
    }

    [Fact]
    public async Task RunAsync_ServerAcceptsButNeverAnswers_StallsAndRestarts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = Options($"rtsp://127.0.0.1:{port}/silent");
        options.StallTimeout = TimeSpan.FromMilliseconds(500);
        await using var source = new DecoderVideoSource(options);
        var stalled = source.WhenState(s => s.State == VideoSourceState.Stalled);

        _ = source.RunAsync(CancellationToken.None);
        using var first = await listener.AcceptTcpClientAsync().WaitAsync(FrameAssert.Timeout);
        var atStall = await stalled;
        using var second = await listener.AcceptTcpClientAsync().WaitAsync(FrameAssert.Timeout);

        Assert.Equal(1, atStall.Stalls);
        Assert.Equal(0, atStall.FramesDecoded);
        Assert.StartsWith("no frame for 0.5 s", atStall.LastError, StringComparison.Ordinal);
        Assert.True(source.Stats.Restarts >= 1);
    }

    [Fact]
    public async Task RunAsync_MissingFile_ReasonIsFfmpegsWordsLoggedOnceWhileRetrying()
    {
        var missing = videos.MissingFile;
        var logger = new CapturingLogger<DecoderVideoSource>();
        var options = Options(missing);
        options.RestartJitter = 0;
        await using var source = new DecoderVideoSource(options, logger);
        var thirdAttempt = logger.WaitFor(LogLevel.Debug, "consecutive failures 3");

        _ = source.RunAsync(CancellationToken.None);
        var down = await logger.WaitFor(LogLevel.Warning, "connecting:");
        await thirdAttempt.WaitAsync(FrameAssert.Timeout);

        Assert.Equal($"{missing}: No such file or directory", source.Stats.LastError);
        Assert.Contains("No such file or directory", down, StringComparison.Ordinal);
        Assert.Equal(1, logger.Count(LogLevel.Warning, "No such file or directory"));
        Assert.True(source.Stats.Restarts >= 2);
        Assert.Equal(0, source.Stats.FramesDecoded);
    }

    [Theory]
    [InlineData(VideoDecoder.Ffmpeg, null)]
    [InlineData(VideoDecoder.GStreamer, "libav")] // libavcodec's lines through GStreamer's debug log (GST_DEBUG=libav:1)
    public async Task RunAsync_CorruptStreamFloodsDecodingErrors_RestartedAsMisbehavingWithTheReason(VideoDecoder decoder, string? speaker)
    {
        var options = Options(await videos.CorruptH264Async());
        options.Decoder = decoder;
        options.MaxDecodeErrors = 20;
        options.Loop = true;
        var logger = new CapturingLogger<DecoderVideoSource>();
        await using var source = new DecoderVideoSource(options, logger);
        var restarted = source.WhenState(s => s.State == VideoSourceState.Connecting && s.LastError is not null && s.LastError.Contains("decoding errors", StringComparison.Ordinal));

        _ = source.RunAsync(CancellationToken.None);
        var stats = await restarted;

        Assert.StartsWith("restarted after more than 20 decoding errors in 10 s:", stats.LastError, StringComparison.Ordinal);
        if (speaker is not null)
        {
            Assert.Contains(speaker, stats.LastError, StringComparison.Ordinal);
        }

        await logger.WaitFor(LogLevel.Warning, "more than 20 decoding errors").WaitAsync(FrameAssert.Timeout);
    }

    [Fact]
    public async Task DisposeAsync_WhileStreaming_KillsFfmpegAndReturnsEveryBuffer()
    {
        var options = Options(videos.Gradient(50, 100));
        options.Loop = true;
        var source = new DecoderVideoSource(options);
        var run = source.RunAsync(CancellationToken.None);
        var frame = await source.ReadAsync();
        var pid = source.DecoderProcessId;
        Assert.NotNull(pid);
        using var ffmpeg = Process.GetProcessById(pid.Value);
        Assert.False(ffmpeg.HasExited);
        frame.Dispose();

        await source.DisposeAsync();

        Assert.True(ffmpeg.HasExited);
        Assert.True(run.IsCompletedSuccessfully);
        Assert.Equal(VideoSourceState.Stopped, source.Stats.State);
        Assert.Equal(0, source.Pool.Outstanding);
        Assert.Null(source.DecoderProcessId);
        await Assert.ThrowsAsync<ChannelClosedException>(() => source.Frames.ReadAsync().AsTask());
    }

    [Fact]
    public async Task Stats_WhileStreaming_MeasuresTheSourceRate()
    {
        var options = Options(videos.Gradient(50, 100));
        options.Loop = true;
        await using var source = new DecoderVideoSource(options);
        _ = source.RunAsync(CancellationToken.None);

        for (var i = 0; i < 40; i++)
        {
            using var frame = await source.ReadAsync();
        }

        // -re paces the 100 fps file in real time, but on a loaded runner ffmpeg is starved and then catches up in a
        // burst, which swings the smoothed rate for a moment: read on (up to 4 s of frames) until it has stayed in a band
        // for 20 frames in a row. Unpaced decoding (thousands a second) never does.
        var inBand = 0;
        for (var i = 0; i < 400 && inBand < 20; i++)
        {
            using var frame = await source.ReadAsync();
            inBand = source.Stats.MeasuredFps is >= 40 and <= 250 ? inBand + 1 : 0;
        }

        var stats = source.Stats;
        Assert.Equal(VideoSourceState.Streaming, stats.State);
        Assert.NotNull(stats.LastFrameTime);
        Assert.InRange(stats.MeasuredFps, 40, 250);
    }
}
