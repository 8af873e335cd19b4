namespace EdgeSam2.Video.Tests;

/// <summary>Files decoded by real ffmpeg, every frame in order.</summary>
public sealed class DeterministicSourceTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static VideoSourceOptions Options(string url, int width = TestVideos.Width, int height = TestVideos.Height) => new()
    {
        Url = url,
        OutputWidth = width,
        OutputHeight = height,
        Mode = SourceMode.Deterministic,
        ChannelCapacity = 2,
        // Smallest legal pool: the decoder must wait for the consumer rather than drop.
        PoolSize = 3,
    };

    [Fact]
    public async Task RunAsync_LosslessFile_EveryFrameInOrderWithItsExactContent()
    {
        await using var source = new DecoderVideoSource(Options(videos.Gradient(30, 25)));
        var run = source.RunAsync(CancellationToken.None);

        var sequences = new List<long>();
        var times = new List<DateTimeOffset>();
        await foreach (var frame in source.Frames.ReadAllAsync().WithCancellation(new CancellationTokenSource(FrameAssert.Timeout).Token))
        {
            using (frame)
            {
                Assert.Equal(TestVideos.Width, frame.Width);
                Assert.Equal(TestVideos.Height, frame.Height);
                Assert.Equal(TestVideos.Width, frame.SourceWidth);
                Assert.Equal(TestVideos.Height, frame.SourceHeight);
                Assert.Equal(TestVideos.Width * TestVideos.Height * 3, frame.Rgb24.Length);
                FrameAssert.Uniform(frame, TestVideos.GradientColour(frame.Sequence));
                Assert.Equal(CaptureClock.Pts, frame.Clock);
                sequences.Add(frame.Sequence);
                times.Add(frame.CaptureTime);
            }
        }

        await run.WaitAsync(FrameAssert.Timeout);
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), sequences);
        for (var i = 1; i < times.Count; i++)
        {
            Assert.Equal(TimeSpan.FromMilliseconds(40), times[i] - times[i - 1]);
        }

        var stats = source.Stats;
        Assert.Equal(VideoSourceState.Finished, stats.State);
        Assert.Equal(30, stats.FramesDecoded);
        Assert.Equal(0, stats.FramesDropped);
        Assert.Equal(0, source.Pool.Outstanding);
    }

    [Fact]
    public async Task RunAsync_FramesLargerThanADefaultPipe_EveryFrameWholeAndInOrder()
    {
        // 512x384 RGB is 576 KiB, nine default 64 KiB pipes: the decoder's pipe is grown to hold a frame, and each frame
        // must still arrive whole, in order, with its own content.
        const int width = 512, height = 384;
        await using var source = new DecoderVideoSource(Options(videos.Gradient(20, 25), width, height));
        var run = source.RunAsync(CancellationToken.None);

        var sequences = new List<long>();
        await foreach (var frame in source.Frames.ReadAllAsync().WithCancellation(new CancellationTokenSource(FrameAssert.Timeout).Token))
        {
            using (frame)
            {
                Assert.Equal(width * height * 3, frame.Rgb24.Length);
                FrameAssert.Uniform(frame, TestVideos.GradientColour(frame.Sequence));
                sequences.Add(frame.Sequence);
            }
        }

        await run.WaitAsync(FrameAssert.Timeout);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), sequences);
        Assert.Equal(0, source.Pool.Outstanding);
    }

    [Fact]
    public async Task RunAsync_OutputSizeDiffersFromSource_SquashScalesKeepingLayout()
    {
        await using var source = new DecoderVideoSource(Options(videos.Split(5), width: 100, height: 30));
        var run = source.RunAsync(CancellationToken.None);

        var count = 0;
        await foreach (var frame in source.Frames.ReadAllAsync().WithCancellation(new CancellationTokenSource(FrameAssert.Timeout).Token))
        {
            using (frame)
            {
                Assert.Equal(100, frame.Width);
                Assert.Equal(30, frame.Height);
                Assert.Equal(100 * 30 * 3, frame.Rgb24.Length);
                Assert.Equal(TestVideos.Width, frame.SourceWidth);
                Assert.Equal(TestVideos.Height, frame.SourceHeight);
                FrameAssert.Near(FrameAssert.Pixel(frame, 5, 15), (255, 0, 0), 2);
                FrameAssert.Near(FrameAssert.Pixel(frame, 45, 29), (255, 0, 0), 2);
                FrameAssert.Near(FrameAssert.Pixel(frame, 55, 0), (0, 0, 255), 2);
                FrameAssert.Near(FrameAssert.Pixel(frame, 99, 15), (0, 0, 255), 2);
                count++;
            }
        }

        await run.WaitAsync(FrameAssert.Timeout);
        Assert.Equal(5, count);
    }

    [Fact]
    public async Task RunAsync_MissingFile_FailsNamingTheFileAndFfmpegsReason()
    {
        var missing = videos.MissingFile;
        await using var source = new DecoderVideoSource(Options(missing));

        var error = await Assert.ThrowsAsync<VideoSourceException>(() => source.RunAsync(CancellationToken.None).WaitAsync(FrameAssert.Timeout));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, error.ExitCode);
        Assert.Equal(VideoSourceState.Failed, source.Stats.State);
        var completion = await Assert.ThrowsAsync<VideoSourceException>(() => source.Frames.Completion.WaitAsync(FrameAssert.Timeout));
        Assert.Same(error, completion);
    }

    [Fact]
    public async Task RunAsync_MissingFfmpeg_FailsNamingTheExecutable()
    {
        var options = Options(videos.Split(5));
        options.FfmpegPath = "/nonexistent/ffmpeg";
        await using var source = new DecoderVideoSource(options);

        var error = await Assert.ThrowsAsync<VideoSourceException>(() => source.RunAsync(CancellationToken.None).WaitAsync(FrameAssert.Timeout));

        Assert.Contains("/nonexistent/ffmpeg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_InputThatNeverDelivers_FailsAsStalled()
    {
        var fifo = videos.Fifo("silent");
        var options = Options(fifo);
        options.StallTimeout = TimeSpan.FromMilliseconds(500);
        await using var source = new DecoderVideoSource(options);

        var error = await Assert.ThrowsAsync<VideoSourceException>(() => source.RunAsync(CancellationToken.None).WaitAsync(FrameAssert.Timeout));

        Assert.Contains("no frame for 0.5 s", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, source.Stats.Stalls);
        Assert.Null(source.DecoderProcessId);
    }

    [Fact]
    public async Task RunAsync_CancelledMidFile_StopsAndReturnsEveryBuffer()
    {
        await using var source = new DecoderVideoSource(Options(videos.Gradient(30, 25)));
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(stop.Token);
        var first = await source.ReadAsync();
        first.Dispose();

        await stop.CancelAsync();
        await run.WaitAsync(FrameAssert.Timeout);

        Assert.Equal(VideoSourceState.Stopped, source.Stats.State);
        Assert.True(source.Frames.Completion.IsCompleted);
        Assert.Equal(0, source.Pool.Outstanding);
    }

    [Fact]
    public async Task RunAsync_CalledTwice_Throws()
    {
        await using var source = new DecoderVideoSource(Options(videos.Split(5)));
        _ = source.RunAsync(CancellationToken.None);

        Assert.Throws<InvalidOperationException>(() => { _ = source.RunAsync(CancellationToken.None); });
    }

    [Fact]
    public async Task RunAsync_AfterDispose_Throws()
    {
        var source = new DecoderVideoSource(Options(videos.Split(5)));
        await source.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = source.RunAsync(CancellationToken.None); });
        Assert.True(source.Frames.Completion.IsCompleted);
    }
}
