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
    [InlineData("rtsp://admin:se/cret@127.0.0.1:18554/test", "rtsp://admin:***@127.0.0.1:18554/test")]
    [InlineData("rtsp://admin:p@ss@10.0.0.5/h264", "rtsp://admin:***@10.0.0.5/h264")]
    [InlineData("/videos/a.mp4", "/videos/a.mp4")]
    public void Redact_Url_HidesOnlyThePassword(string url, string expected)
    {
        Assert.Equal(expected, VideoUrlRedaction.Redact(url));
    }

    [Theory]
    [InlineData("rtsp://admin:se/cret@127.0.0.1:18554/test")]
    [InlineData("rtsp://")]
    [InlineData("rtsp://127.0.0.1:99999/x")]
    [InlineData("rtsp://admin:se cret@cam/x")]
    [InlineData("rtsp://cam/s\" ! fakesink \"")]
    public void Validate_RtspUrlNoClientCanConnectTo_RefusedWithoutItsPassword(string url)
    {
        var errors = new VideoSourceOptions { Url = url }.Validate();

        Assert.Contains(errors, e => e.Contains("is not a valid RTSP URL", StringComparison.Ordinal));
        Assert.DoesNotContain(errors, e => e.Contains("cret", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("rtsp://admin:se%2Fcret%40x@127.0.0.1:554/test")]
    [InlineData("rtsps://cam/s?channel=1&subtype=0")]
    [InlineData("RTSP://10.0.0.5/h264")]
    public void Validate_RtspUrlWellFormed_Accepted(string url)
    {
        Assert.DoesNotContain(new VideoSourceOptions { Url = url }.Validate(), e => e.Contains("RTSP URL", StringComparison.Ordinal));
    }
}
