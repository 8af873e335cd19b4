namespace EdgeSam2.Video.Tests;

/// <summary>
/// A Live source's decoder holds no frame back for later ones: real ffmpeg, run with the arguments a Live source gets
/// (<see cref="FfmpegArguments"/>), reads H.264 from a FIFO that the test feeds an access unit at a time, and frame k
/// must come out once unit k+1 is in: ffmpeg's parser finds where a unit ends only where the next one starts (from a
/// byte stream; FFmpeg trac #3354), and nothing else may wait. Frame threading in the decoder, which the test forces
/// with 5 threads, would hold each frame back for 4 more units, and a frame-threaded rawvideo encoder at the pipe for
/// one or more: the test then fails at the first frame it awaits (checked by taking out the slice threading, and the
/// encoder's one thread).
/// </summary>
public sealed class LiveDecodeDelayTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private const int Frames = 48;
    private const int Primed = 36; // enough for ffmpeg's stream probing to finish before the stepping starts
    private const int Lookahead = 1; // units after frame k written before frame k is awaited: the parser needs the next one's start

    [Fact]
    public async Task Live_EachFrameComesOut_AsSoonAsTheParserHasItsUnit_NoneHeldBackForLaterFrames()
    {
        var stream = await File.ReadAllBytesAsync(videos.H264WithAccessUnitDelimiters(Frames));
        var units = H264AccessUnits.Boundaries(stream);
        Assert.Equal(Frames, units.Count - 1);
        var fifo = videos.Fifo("live");

        var options = new VideoSourceOptions
        {
            Url = fifo,
            OutputWidth = TestVideos.Width,
            OutputHeight = TestVideos.Height,
            Mode = SourceMode.Live,
            InputFormat = "h264", // a FIFO has no extension to tell ffmpeg the format by
            DecoderThreads = 5, // frame threading would hold 4 frames back on any box, whatever its core count
            InputArguments = ["-analyzeduration", "500000"], // probe 0.5 s, as for RTSP: the stream is fed as it goes
        };
        using var ffmpeg = new FfmpegRun(options);
        using var framesOut = new SemaphoreSlim(0);
        var reading = Task.Run(async () =>
        {
            var frame = new byte[TestVideos.Width * TestVideos.Height * 3];
            while (await ffmpeg.Output.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false) == frame.Length)
            {
                framesOut.Release();
            }
        });
        var taken = 0;
        async Task FrameOut(int frame)
        {
            for (; taken <= frame; taken++)
            {
                Assert.True(
                    await framesOut.WaitAsync(Limit),
                    $"frame {frame} did not come out within {Limit.TotalSeconds} s of its data (held back for later frames?); ffmpeg said: {ffmpeg.LastErrors}");
            }
        }

        try
        {
            // Read-write: on Linux the open does not wait for ffmpeg to open its end (it cannot hang if ffmpeg fails first).
            await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);

            // Writes every unit up to k + Lookahead whole: enough for frame k to come out unless the decoder holds frames back.
            var written = 0;
            async Task WriteThrough(int unit)
            {
                var end = units[unit + Lookahead + 1];
                await writer.WriteAsync(stream.AsMemory(written, end - written));
                await writer.FlushAsync();
                written = end;
            }

            await WriteThrough(Primed - 1);
            await FrameOut(Primed - 1);
            for (var k = Primed; k < Frames - Lookahead - 1; k++)
            {
                await WriteThrough(k);
                await FrameOut(k);
            }
        }
        finally
        {
            ffmpeg.Stop();
            await reading.WaitAsync(Limit);
        }
    }
}
