using EdgeSam2.Bench.Report;

namespace EdgeSam2.Bench.Tests;

public sealed class ReproducibilityTests
{
    [Fact]
    public void Of_ThreeRunsPerCount_GivesEveryRatioItsMedianSpreadAndVerdict()
    {
        var repeats = new Dictionary<int, List<(double AgentMs, double FloorMs)>>
        {
            [1] = [(10, 9), (10, 9), (10, 9)],
            // agent/floor 0.9, 0.9, 0.72: a spread of 0.18 / 0.9 = 20 %.
            [8] = [(30, 27), (30, 27), (25, 18)],
        };

        var spreads = Reproducibility.Of(repeats);

        Assert.Equal(["agent/floor 1", "agent/floor 8", "agent cost vs 1 object 8", "floor cost vs 1 object 8"], spreads.Select(s => $"{s.Ratio} {s.Objects}"));
        var one = spreads[0];
        Assert.Equal((0.9, 0.0, true), (one.Median, one.SpreadPct, one.WithinTenPercent));
        var eight = spreads[1];
        Assert.Equal([0.9, 0.9, 0.72], eight.Runs);
        Assert.Equal((0.9, 0.72, 0.9, 20.0, false), (eight.Median, eight.Min, eight.Max, eight.SpreadPct, eight.WithinTenPercent));
        // Cost ratios pair run i of a case with run i of the 1-object case: 3, 3, 2.5 (agent) and 3, 3, 2 (floor).
        Assert.Equal((3.0, 16.7, false), (spreads[2].Median, spreads[2].SpreadPct, spreads[2].WithinTenPercent));
        Assert.Equal([3.0, 3.0, 2.0], spreads[3].Runs);
    }

    [Fact]
    public void CostVsOne_FloorScalingAndAgentOverFloor_GivesTheAgentsCostInTheFloorsTerms()
    {
        // The floor takes 4 ms at one object and 11 at eight (2.75×); the agent runs at 0.8 of its floor at one object
        // and 0.7 at eight, so its own frame costs 2.75 × 0.8 / 0.7 = 3.14 times as much at eight.
        Assert.Equal(3.1429, Reproducibility.CostVsOne(11, 4, 0.7, 0.8), 4);
        // Per run the floor cancels: 15 ms ÷ 5 ms with floors 11 and 4 around them is 3, whichever way it is counted.
        Assert.Equal(3.0, Reproducibility.CostVsOne(11, 4, 11 / 15.0, 4 / 5.0), 10);
    }

    [Fact]
    public void Of_OneRunPerCount_NeverClaimsAgreement()
    {
        var spreads = Reproducibility.Of(new Dictionary<int, List<(double, double)>> { [1] = [(10, 9)] });

        Assert.False(Assert.Single(spreads).WithinTenPercent);
    }

    [Fact]
    public void FloorSpeed_FloorRuns_GivesTheirSpreadPerObjectCountAndSkipsSingleRuns()
    {
        var none = new Dictionary<string, double>();
        FloorRow[] floor =
        [
            new(1, [2.0, 2.5, 3.0, 2.5], 2.5, none), // (3 − 2) ÷ 2.5 = 40 %
            new(8, [12.0, 12.0, 12.6], 12.2, none),  // 0.6 ÷ 12 = 5 %
            new(16, [25.0], 25.0, none),             // one run: nothing to compare
        ];

        Assert.Equal([(1, 40.0), (8, 5.0)], Reproducibility.FloorSpeed(floor));
    }

    [Theory]
    [InlineData(new[] { 3.0, 1.0, 2.0 }, 2.0)]
    [InlineData(new[] { 4.0, 1.0, 2.0, 3.0 }, 2.5)]
    public void Median_OddAndEvenCounts_IsTheMiddle(double[] values, double expected) => Assert.Equal(expected, Reproducibility.Median(values));
}
