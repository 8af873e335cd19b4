namespace EdgeSam2.Video.Tests;

public sealed class VideoSourceOptionsTests
{
    [Fact]
    public void Validate_UsableOptions_NoErrors()
    {
        var options = new VideoSourceOptions { Url = "rtsp://cam/stream", OutputWidth = 1024, OutputHeight = 1024 };

        Assert.Empty(options.Validate());
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var options = new VideoSourceOptions
        {
            Url = "rtsp://cam/stream",
            Mode = SourceMode.Deterministic,
            OutputWidth = 0,
            OutputHeight = 0,
            ChannelCapacity = 4,
            PoolSize = 4,
            StallTimeout = TimeSpan.Zero,
        };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.Contains("OutputWidth", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("OutputHeight", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Deterministic", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("PoolSize", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("StallTimeout", StringComparison.Ordinal));
    }

    [Fact]
    public void Constructor_InvalidOptions_ThrowsWithTheErrors()
    {
        var options = new VideoSourceOptions { Url = "", OutputWidth = 64, OutputHeight = 48 };

        var error = Assert.Throws<ArgumentException>(() => new DecoderVideoSource(options));

        Assert.Contains("Url", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new VideoSourceOptions();

        Assert.Equal(SourceMode.Live, options.Mode);
        Assert.Equal(TimeSpan.FromSeconds(10), options.StallTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RestartMinDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RestartMaxDelay);
        Assert.Equal(2, options.ChannelCapacity);
        Assert.Equal("ffmpeg", options.FfmpegPath);
        Assert.False(options.Loop);
    }
}
