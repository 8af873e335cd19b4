namespace EdgeSam2.Video.Tests;

/// <summary>The GStreamer source for real: gst-launch-1.0 with a software pipeline, under the same supervision as ffmpeg.</summary>
public sealed class GStreamerSourceTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static VideoSourceOptions Options(string url, string pipeline = "") => new()
    {
        Url = url,
        OutputWidth = 100,
        OutputHeight = 30,
        Mode = SourceMode.Live,
        Decoder = VideoDecoder.GStreamer,
        GStreamerPipeline = pipeline,
        RestartMinDelay = TimeSpan.FromMilliseconds(10),
        RestartMaxDelay = TimeSpan.FromMilliseconds(50),
        PoolSize = 64,
        ChannelCapacity = 32,
    };

    [Fact]
    public async Task RunAsync_FileThroughDecodebin_EveryFrameScaledToRgbThenFinished()
    {
        await using var source = new DecoderVideoSource(Options(videos.Split(5)));
        var run = source.RunAsync(CancellationToken.None);

        var count = 0;
        await foreach (var frame in source.Frames.ReadAllAsync().WithCancellation(new CancellationTokenSource(FrameAssert.Timeout).Token))
        {
            using (frame)
            {
                Assert.Equal(100 * 30 * 3, frame.Rgb24.Length);
                FrameAssert.Near(FrameAssert.Pixel(frame, 5, 15), (255, 0, 0), 4);
                FrameAssert.Near(FrameAssert.Pixel(frame, 95, 15), (0, 0, 255), 4);

                // The stream's own timestamps (gdppay's headers), not the arrival clock.
                Assert.Equal(CaptureClock.Pts, frame.Clock);
                count++;
            }
        }

        await run.WaitAsync(FrameAssert.Timeout);
        Assert.Equal(5, count);
        Assert.Equal(VideoSourceState.Finished, source.Stats.State);
    }

    [Fact]
    public async Task RunAsync_DeterministicFile_CaptureTimesAreTheFilesOwn()
    {
        var options = Options(videos.Gradient(12, 25));
        options.Mode = SourceMode.Deterministic;
        await using var source = new DecoderVideoSource(options);
        var run = source.RunAsync(CancellationToken.None);

        var captures = new List<DateTimeOffset>();
        await foreach (var frame in source.Frames.ReadAllAsync().WithCancellation(new CancellationTokenSource(FrameAssert.Timeout).Token))
        {
            using (frame)
            {
                Assert.Equal(CaptureClock.Pts, frame.Clock);
                FrameAssert.Near(FrameAssert.Pixel(frame, 50, 15), TestVideos.GradientColour(captures.Count), 4);
                captures.Add(frame.CaptureTime);
            }
        }

        await run.WaitAsync(FrameAssert.Timeout);
        Assert.Equal(12, captures.Count);
        Assert.All(captures.Zip(captures.Skip(1)), pair => Assert.Equal(TimeSpan.FromMilliseconds(40), pair.Second - pair.First));
    }

    [Fact]
    public async Task RunAsync_ConfiguredTestSourcePipeline_FramesHaveItsColour()
    {
        var options = Options("/dev/null", "videotestsrc pattern=green num-buffers=1000 is-live=true ! video/x-raw,width=64,height=48,framerate=25/1");
        await using var source = new DecoderVideoSource(options);
        _ = source.RunAsync(CancellationToken.None);

        for (var i = 0; i < 3; i++)
        {
            using var frame = await source.ReadAsync();
            FrameAssert.Near(FrameAssert.Pixel(frame, 50, 15), (0, 255, 0), 4);
        }

        Assert.Equal(VideoSourceState.Streaming, source.Stats.State);
    }

    [Fact]
    public async Task RunAsync_MissingFile_ReasonIsTheProbesWords()
    {
        await using var source = new DecoderVideoSource(Options(videos.MissingFile));
        var down = source.WhenState(s => s.State == VideoSourceState.Connecting && s.LastError is not null);

        _ = source.RunAsync(CancellationToken.None);
        var stats = await down;

        Assert.Equal($"{videos.MissingFile}: No such file or directory", stats.LastError);
    }

    [Fact]
    public async Task RunAsync_PipelineWithoutUrlFailing_ReasonIsGStreamersErrorLine()
    {
        // Not probed (the pipeline names no {url}): GStreamer's own first ERROR line is the reason.
        await using var source = new DecoderVideoSource(Options("/dev/null", $"filesrc location={videos.MissingFile} ! decodebin"));
        var down = source.WhenState(s => s.State == VideoSourceState.Connecting && s.LastError is not null);

        _ = source.RunAsync(CancellationToken.None);
        var stats = await down;

        Assert.StartsWith("ERROR:", stats.LastError, StringComparison.Ordinal);
        Assert.Contains("not found", stats.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RunAsync_DecoderSendsAFrameOfTheWrongSize_RestartedWithThatAsTheReason()
    {
        // A real process in gst-launch's place: one GDP buffer packet of 12 bytes, where a frame is 100×30×3.
        var output = GdpPacketTests.Packet(type: 1, payload: 12, pts: 0);
        var reason = await FirstReasonAsync(output);

        Assert.Equal("gst-launch sent a frame of 12 bytes where 9000 were expected", reason);
    }

    [Fact]
    public async Task RunAsync_DecoderOutputIsNotGdp_RestartedWithThatAsTheReason()
    {
        var reason = await FirstReasonAsync(Enumerable.Repeat((byte)'x', 200).ToArray());

        Assert.StartsWith("gst-launch's output cannot be followed: ", reason, StringComparison.Ordinal);
        Assert.Contains("not GDP 1.0", reason, StringComparison.Ordinal);
    }

    // Runs a source whose gst-launch is a script that writes `output` and then waits to be killed; the first restart's reason.
    private static async Task<string?> FirstReasonAsync(byte[] output)
    {
        var folder = Directory.CreateTempSubdirectory("edgesam2-decoder-");
        try
        {
            var data = Path.Combine(folder.FullName, "output.bin");
            await File.WriteAllBytesAsync(data, output);
            var script = Path.Combine(folder.FullName, "gst-launch-1.0");
            await File.WriteAllTextAsync(script, $"#!/bin/sh\ncat '{data}'\nexec sleep 60\n");
            if (!OperatingSystem.IsLinux())
            {
                throw new PlatformNotSupportedException("the decoders run on Linux");
            }

            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserExecute);

            var options = Options("/dev/null", "videotestsrc"); // no {url}: not probed
            options.GstLaunchPath = script;
            await using var source = new DecoderVideoSource(options);
            var down = source.WhenState(s => s.State == VideoSourceState.Connecting && s.LastError is not null);
            _ = source.RunAsync(CancellationToken.None);
            return (await down).LastError;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
