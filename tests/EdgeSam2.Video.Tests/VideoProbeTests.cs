namespace EdgeSam2.Video.Tests;

public sealed class VideoProbeTests(TestVideos videos) : IClassFixture<TestVideos>
{
    [Fact]
    public void ProbeException_MessageHidesTheCamerasPassword_AndKeepsFfprobesTextOnOneLine()
    {
        var error = new VideoProbeException("rtsp://admin:s3cret@cam.local/live", "rtsp://admin:s3cret@cam.local/live: 401 Unauthorized\nsecond line");

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("401 Unauthorized", error.Message, StringComparison.Ordinal);
        Assert.Equal("rtsp://admin:s3cret@cam.local/live", error.Url); // the caller's own copy stays whole
    }

    [Fact]
    public async Task ProbeAsync_LosslessFile_ReportsSizeRateAndCountedFrames()
    {
        var path = videos.Gradient(30, 25);

        var info = await VideoProbe.ProbeAsync(path, countFrames: true, "ffprobe", CancellationToken.None).WaitAsync(FrameAssert.Timeout);

        Assert.Equal(new VideoInfo(TestVideos.Width, TestVideos.Height, 25, 30, "ffv1"), info);
    }

    [Fact]
    public async Task ProbeAsync_FileWithoutCountInContainer_SizeAndRate()
    {
        var info = await VideoProbe.ProbeAsync(videos.Split(5), CancellationToken.None).WaitAsync(FrameAssert.Timeout);

        Assert.Equal(TestVideos.Width, info.Width);
        Assert.Equal(TestVideos.Height, info.Height);
        Assert.Equal(25, info.FrameRate);
    }

    [Fact]
    public async Task ProbeAsync_MissingFile_ErrorNamesTheFileAndFfprobesReason()
    {
        var missing = videos.MissingFile;

        var error = await Assert.ThrowsAsync<VideoProbeException>(() => VideoProbe.ProbeAsync(missing, CancellationToken.None).WaitAsync(FrameAssert.Timeout));

        Assert.Equal(missing, error.Url);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeAsync_MissingFfprobe_ErrorNamesTheExecutable()
    {
        var error = await Assert.ThrowsAsync<VideoProbeException>(
            () => VideoProbe.ProbeAsync(videos.Split(5), countFrames: false, "/nonexistent/ffprobe", CancellationToken.None).WaitAsync(FrameAssert.Timeout));

        Assert.Contains("/nonexistent/ffprobe", error.Message, StringComparison.Ordinal);
    }
}
