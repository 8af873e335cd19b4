namespace EdgeSam2.Video.Tests;

public sealed class VideoUrlTests
{
    [Theory]
    [InlineData("rtsp://cam/stream", "Rtsp")]
    [InlineData("RTSPS://cam/stream", "Rtsp")]
    [InlineData("/dev/video0", "V4l2")]
    [InlineData("/videos/a.mp4", "File")]
    [InlineData("a.mkv", "File")]
    [InlineData("http://host/live.m3u8", "Network")]
    public void Classify_Url_Kind(string url, string kind)
    {
        Assert.Equal(kind, VideoUrl.Classify(url).ToString());
    }

    [Theory]
    [InlineData("rtsp://admin:s3cret@10.0.0.5:554/h264", "rtsp://admin:***@10.0.0.5:554/h264")]
    [InlineData("rtsp://admin@10.0.0.5/h264", "rtsp://admin@10.0.0.5/h264")]
    [InlineData("rtsp://10.0.0.5/a@b", "rtsp://10.0.0.5/a@b")]
    [InlineData("/videos/a.mp4", "/videos/a.mp4")]
    public void Redact_Url_HidesOnlyThePassword(string url, string expected)
    {
        Assert.Equal(expected, VideoUrlRedaction.Redact(url));
    }
}
