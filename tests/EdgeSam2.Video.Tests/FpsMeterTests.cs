namespace EdgeSam2.Video.Tests;

public sealed class FpsMeterTests
{
    [Fact]
    public void Fps_SteadyIntervals_ConvergesToTheRate()
    {
        var time = new ManualTimeProvider();
        var meter = new FpsMeter();
        for (var i = 0; i < 50; i++)
        {
            meter.Record(time.GetTimestamp(), time);
            time.Advance(TimeSpan.FromMilliseconds(40));
        }

        Assert.Equal(25, meter.Fps, 3);
    }

    [Fact]
    public void Fps_OneFrame_Zero()
    {
        var time = new ManualTimeProvider();
        var meter = new FpsMeter();

        meter.Record(time.GetTimestamp(), time);

        Assert.Equal(0, meter.Fps);
    }

    [Fact]
    public void Record_AfterBreak_GapIsNotCountedAsAnInterval()
    {
        var time = new ManualTimeProvider();
        var meter = new FpsMeter();
        meter.Record(time.GetTimestamp(), time);
        time.Advance(TimeSpan.FromMilliseconds(100));
        meter.Record(time.GetTimestamp(), time);

        meter.Break();
        time.Advance(TimeSpan.FromMinutes(1));
        meter.Record(time.GetTimestamp(), time);

        Assert.Equal(10, meter.Fps, 3);
    }
}
