using EdgeSam2.Agent.Cameras.LatePrompts;

namespace EdgeSam2.Agent.Tests.Cameras;

public sealed class CatchUpBudgetTests
{
    [Fact]
    public void TryTake_FromRest_AllowsOneFullRingThenOnlyWhatLiveFramesRefill()
    {
        var budget = new CatchUpBudget(perLiveFrame: 0.5, burst: 20);
        Assert.True(budget.TryTake(20));
        Assert.False(budget.TryTake(1));

        for (var i = 0; i < 9; i++)
        {
            budget.OnLiveFrame();
        }

        Assert.Equal(4, budget.Available);
        Assert.False(budget.TryTake(5)); // a refusal takes nothing
        Assert.True(budget.TryTake(4));
        Assert.True(budget.TryTake(0));
    }

    [Fact]
    public void OnLiveFrame_LongIdle_RefillsNoMoreThanTheBurst()
    {
        var budget = new CatchUpBudget(perLiveFrame: 2, burst: 10);
        budget.TryTake(10);
        for (var i = 0; i < 100; i++)
        {
            budget.OnLiveFrame();
        }

        Assert.Equal(10, budget.Available);
        Assert.False(budget.TryTake(11));
    }

    [Fact]
    public void Flood_EachCommandNamingTheOldestFrame_CatchUpFramesPerLiveFrameBoundedByTheRatio()
    {
        // A sender naming the oldest of 60 kept frames on every live frame: without the budget each live frame would
        // wait for 59 frames of catch-up; with it the catch-up over 600 live frames stays within burst + ratio × frames.
        var budget = new CatchUpBudget(perLiveFrame: 0.5, burst: 60);
        var carried = 0;
        for (var frame = 0; frame < 600; frame++)
        {
            budget.OnLiveFrame();
            carried += budget.TryTake(59) ? 59 : 0;
        }

        Assert.InRange(carried, 300 - 59, 60 + 300);
    }
}
