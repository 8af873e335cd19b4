using EdgeSam2.Mqtt.Client;

namespace EdgeSam2.Mqtt.Tests.Client;

public class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    [InlineData(3, 8)]
    [InlineData(4, 16)]
    [InlineData(5, 30)]
    [InlineData(1000, 30)]
    public void DelayFor_MidJitter_DoublesUpToCap(int attempt, double expectedSeconds)
    {
        var backoff = new ReconnectBackoff(Min, Max, () => 0.5);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), backoff.DelayFor(attempt));
    }

    [Fact]
    public void DelayFor_ExtremeJitter_StaysWithinHalfToOneAndAHalfAndWithinBounds()
    {
        var low = new ReconnectBackoff(Min, Max, () => 0.0);
        var high = new ReconnectBackoff(Min, Max, () => 0.999999);

        Assert.Equal(Min, low.DelayFor(0));
        Assert.Equal(TimeSpan.FromSeconds(4), low.DelayFor(3));
        Assert.InRange(high.DelayFor(3).TotalSeconds, 11.99, 12.0);
        Assert.Equal(Max, high.DelayFor(5));
    }
}
