namespace EdgeSam2.Video.Tests;

/// <summary>What the source reads from a decoder's stderr: the reason it stopped, each frame's PTS, decoding errors.</summary>
public sealed class DecoderOutputParsingTests
{
    [Fact]
    public void Summarise_FfmpegConnectionRefused_LastWordsWithoutComponentPrefix()
    {
        var reason = DecoderReason.Summarise(
        [
            "[tcp @ 0x55d0c1a2b3c0] Connection to tcp://127.0.0.1:9?timeout=5000000 failed: Connection refused",
            "rtsp://127.0.0.1:9/cam: Connection refused",
        ]);

        Assert.Equal("rtsp://127.0.0.1:9/cam: Connection refused", reason);
    }

    [Fact]
    public void Summarise_SkipsFfmpegsClosingNoise()
    {
        var reason = DecoderReason.Summarise(["[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found", "rtsp://h/x: Server returned 404 Not Found", "Conversion failed!", ""]);

        Assert.Equal("rtsp://h/x: Server returned 404 Not Found", reason);
    }

    [Fact]
    public void Summarise_GStreamer_PrefersTheErrorLine()
    {
        var reason = DecoderReason.Summarise(
        [
            "ERROR: from element /GstPipeline:pipeline0/GstFileSrc:filesrc0: Resource not found.",
            "Additional debug info:",
            "ERROR: pipeline doesn't want to preroll.",
            "../plugins/elements/gstfilesrc.c(532): gst_file_src_start (): /GstPipeline:pipeline0/GstFileSrc:filesrc0:",
            "Execution ended after 0:00:00.000071",
        ]);

        Assert.Equal("ERROR: from element /GstPipeline:pipeline0/GstFileSrc:filesrc0: Resource not found.", reason);
    }

    [Fact]
    public void Sanitise_HidesPasswordsControlCharactersAndCutsLongLines()
    {
        var reason = DecoderReason.Sanitise("rtsp://admin:s3cret@10.0.0.5/live:\u001b[31m 401\tUnauthorized" + new string('x', 400));

        Assert.StartsWith("rtsp://admin:***@10.0.0.5/live:", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', reason);
        Assert.DoesNotContain('\t', reason);
        Assert.Equal(DecoderReason.MaxLength + 1, reason.Length);
        Assert.EndsWith("…", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://admin:se/cret@127.0.0.1:18554/test: Invalid argument", "rtsp://admin:***@127.0.0.1:18554/test: Invalid argument")]
    [InlineData("could not read 'rtsp://admin:p@ss@10.0.0.5/h264': 401", "could not read 'rtsp://admin:***@10.0.0.5/h264': 401")]
    public void Sanitise_PasswordWithARawSlashOrAt_HiddenWhole(string line, string expected)
    {
        Assert.Equal(expected, DecoderReason.Sanitise(line));
    }

    [Fact]
    public void ShowInfo_FrameLine_NumberAndPts()
    {
        Assert.True(ShowInfoLine.TryParseTimeBase("[Parsed_showinfo_1 @ 0x5] config in time_base: 1/90000, frame_rate: 25/1", out var timeBase));
        Assert.Equal(1.0 / 90000, timeBase);

        // The integer PTS in the time base is exact where pts_time has 6 significant digits only.
        Assert.True(ShowInfoLine.TryParse("[Parsed_showinfo_1 @ 0x55f440156000] n:  12 pts:1111111020 pts_time:12345.7 pos: 1350 fmt:rgb24", timeBase, out var n, out var pts));
        Assert.Equal(12, n);
        Assert.Equal(12345.678, pts!.Value, 6);

        Assert.True(ShowInfoLine.TryParse("[Parsed_showinfo_1 @ 0x55f440156000] n:   2 pts:    200 pts_time:0.2     pos:     1350 fmt:rgb24", 0, out n, out pts));
        Assert.Equal(2, n);
        Assert.Equal(0.2, pts);

        Assert.True(ShowInfoLine.TryParse("[Parsed_showinfo_1 @ 0x1] n:   3 pts:NOPTS pts_time:NOPTS pos: -1", timeBase, out n, out pts));
        Assert.Equal(3, n);
        Assert.Null(pts);

        Assert.False(ShowInfoLine.TryParse("[Parsed_showinfo_1 @ 0x1] color_range:pc color_space:gbr", timeBase, out _, out _));
        Assert.True(ShowInfoLine.IsShowInfo("[Parsed_showinfo_1 @ 0x1] color_range:pc color_space:gbr"u8));
    }

    [Fact]
    public async Task FrameTimestamps_LateAndMissingTimes_DoNotShiftLaterFrames()
    {
        var times = new FrameTimestamps();
        times.Add(0, 0.0);
        times.Add(2, 0.08);

        Assert.Equal(0.0, await times.TakeAsync(0, TimeSpan.Zero, CancellationToken.None));
        Assert.Null(await times.TakeAsync(1, TimeSpan.FromMilliseconds(10), CancellationToken.None));
        Assert.Equal(0.08, await times.TakeAsync(2, TimeSpan.Zero, CancellationToken.None));

        var pending = times.TakeAsync(3, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        times.Add(3, 0.12);
        Assert.Equal(0.12, await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task FrameTimestamps_ManyTimesAddedBeforeTheyAreAsked_WakeupsStayBoundedAndALateTimeIsStillAwaited()
    {
        var times = new FrameTimestamps();
        var late = times.TakeAsync(0, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask(); // waits: a wake-up is due
        times.Add(0, 0.0);
        Assert.Equal(0.0, await late.WaitAsync(TimeSpan.FromSeconds(10)));
        for (var i = 1; i <= 1000; i++)
        {
            times.Add(i, i * 0.04);
            Assert.Equal(i * 0.04, await times.TakeAsync(i, TimeSpan.Zero, CancellationToken.None));
        }

        Assert.True(times.PendingWakeups <= 1, $"{times.PendingWakeups} wake-ups piled up");

        // A session whose times came late asks without waiting (DecoderVideoSource then waits one tick): no wake-up is due.
        for (var i = 1001; i <= 1500; i++)
        {
            Assert.Null(await times.TakeAsync(i, TimeSpan.Zero, CancellationToken.None));
            times.Add(i, i * 0.04);
        }

        Assert.True(times.PendingWakeups <= 1, $"{times.PendingWakeups} wake-ups piled up after late times");
        Assert.Null(await times.TakeAsync(1501, TimeSpan.FromMilliseconds(20), CancellationToken.None)); // times out
        times.Add(1501, 60.04);
        Assert.True(times.PendingWakeups <= 1, $"{times.PendingWakeups} wake-ups piled up after a timed-out wait");

        var pending = times.TakeAsync(1502, TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        times.Add(1502, 60.08);
        Assert.Equal(60.08, await pending.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void DecodeErrorMonitor_ErrorFlood_TripsOnlyPastTheLimitWithinTheWindow()
    {
        var time = new ManualTimeProvider();
        var monitor = new DecodeErrorMonitor(time, limit: 3, TimeSpan.FromSeconds(10));

        monitor.Observe("[h264 @ 0x1] error while decoding MB 3 4, bytestream -5");
        monitor.Observe("[h264 @ 0x1] concealing 120 DC, 120 AC, 120 MV errors in P frame");
        monitor.Observe("frame=   10 fps=0.0 q=-0.0 size=N/A");
        time.Advance(TimeSpan.FromSeconds(11));
        monitor.Observe("[h264 @ 0x1] error while decoding MB 5 6, bytestream -5");
        monitor.Observe("[h264 @ 0x1] error while decoding MB 5 7, bytestream -5");
        monitor.Observe("[h264 @ 0x1] error while decoding MB 5 8, bytestream -5");
        Assert.False(monitor.Tripped.IsCompleted);

        monitor.Observe("[h264 @ 0x1] error while decoding MB 5 9, bytestream -5");

        Assert.True(monitor.Tripped.IsCompleted);
        Assert.Contains("MB 5 9", monitor.LastError, StringComparison.Ordinal);
    }
}
