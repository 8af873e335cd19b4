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
        await using var source = new FfmpegVideoSource(options);
        var ended = source.WhenState(s => s.State == VideoSourceState.Connecting && s.FramesDecoded > 0);

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
        await using var source = new FfmpegVideoSource(options);
        var ended = source.WhenState(s => s.State == VideoSourceState.Connecting && s.FramesDecoded > 0);

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
    public async Task RunAsync_DecoderExits_RestartsAndSequenceKeepsIncreasing()
    {
        const int FileFrames = 10;
        await using var source = new FfmpegVideoSource(Options(videos.Gradient(FileFrames, 100)));
        _ = source.RunAsync(CancellationToken.None);

        var last = -1L;
        while (last < (2 * FileFrames) + 5)
        {
            using var frame = await source.ReadAsync();
            Assert.True(frame.Sequence > last, $"sequence {frame.Sequence} after {last}");
            // Each restart decodes the file from its start, so content follows the sequence modulo the file's length.
            FrameAssert.Uniform(frame, TestVideos.GradientColour(frame.Sequence % FileFrames));
            last = frame.Sequence;
        }

        Assert.True(source.Stats.Restarts >= 2, $"restarts {source.Stats.Restarts}");
    }

    [Fact]
    public async Task RunAsync_ServerAcceptsButNeverAnswers_StallsAndRestarts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = Options($"rtsp://127.0.0.1:{port}/silent");
        options.StallTimeout = TimeSpan.FromMilliseconds(500);
        await using var source = new FfmpegVideoSource(options);
        var stalled = source.WhenState(s => s.State == VideoSourceState.Stalled);

        _ = source.RunAsync(CancellationToken.None);
        using var first = await listener.AcceptTcpClientAsync().WaitAsync(FrameAssert.Timeout);
        var atStall = await stalled;
        using var second = await listener.AcceptTcpClientAsync().WaitAsync(FrameAssert.Timeout);

        Assert.Equal(1, atStall.Stalls);
        Assert.Equal(0, atStall.FramesDecoded);
        Assert.True(source.Stats.Restarts >= 1);
    }

    [Fact]
    public async Task RunAsync_MissingFile_LogsFfmpegsReasonAndKeepsRetrying()
    {
        var missing = videos.MissingFile;
        var logger = new CapturingLogger<FfmpegVideoSource>();
        await using var source = new FfmpegVideoSource(Options(missing), logger);
        var secondAttempt = logger.WaitFor(LogLevel.Information, "consecutive failures 2");

        _ = source.RunAsync(CancellationToken.None);
        var exit = await logger.WaitFor(LogLevel.Warning, "exited with code");
        await secondAttempt;

        Assert.Contains(missing, exit, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", exit, StringComparison.Ordinal);
        Assert.True(source.Stats.Restarts >= 1);
        Assert.Equal(0, source.Stats.FramesDecoded);
    }

    [Fact]
    public async Task DisposeAsync_WhileStreaming_KillsFfmpegAndReturnsEveryBuffer()
    {
        var options = Options(videos.Gradient(50, 100));
        options.Loop = true;
        var source = new FfmpegVideoSource(options);
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
        await using var source = new FfmpegVideoSource(options);
        _ = source.RunAsync(CancellationToken.None);

        for (var i = 0; i < 40; i++)
        {
            using var frame = await source.ReadAsync();
        }

        var stats = source.Stats;
        Assert.Equal(VideoSourceState.Streaming, stats.State);
        Assert.NotNull(stats.LastFrameTime);
        // -re paces the 100 fps file in real time; a loaded 2-core runner may deliver in bursts, so a wide band.
        Assert.InRange(stats.MeasuredFps, 40, 250);
    }
}
