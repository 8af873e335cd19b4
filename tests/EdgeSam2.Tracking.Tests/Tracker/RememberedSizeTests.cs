using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Tracking.Tests.Tracker;

/// <summary>The remembered size the sliver rule judges against (<see cref="TrackedObject.RememberSize"/>).</summary>
public sealed class RememberedSizeTests
{
    private static TrackedObject NewObject() => new(1, null, new ObjectMemory(7, 16, 2, 4, 4));

    [Fact]
    public void RememberSize_OneSideCutSlowlyOverManyFrames_KeepsTheWholeSize()
    {
        // A disc of 18 cells sliding behind a bar over 500 frames: its width goes to a tenth, its height stays.
        var obj = NewObject();
        obj.RememberSize(18, 18);
        for (var i = 1; i <= 500; i++)
        {
            obj.RememberSize(18 - (16.2f * i / 500), 18);
        }

        Assert.Equal(18 * 18, obj.RememberedArea, 3);
    }

    [Fact]
    public void RememberSize_BothSidesShrinkSlowly_FollowsTheObject()
    {
        // Moving away: both sides to half over 500 frames (0.14 % a frame, slower than the decay's bound).
        var obj = NewObject();
        for (var i = 0; i <= 500; i++)
        {
            var side = 18 * MathF.Pow(0.5f, i / 500f);
            obj.RememberSize(side, side);
        }

        Assert.Equal(9 * 9, obj.RememberedArea, 0.5);
    }

    [Fact]
    public void RememberSize_BothSidesCollapseAtOnce_ShrinksOnePercentInAreaAWrittenFrame()
    {
        var obj = NewObject();
        obj.RememberSize(20, 10);
        obj.RememberSize(2, 1);

        Assert.Equal(200 * 0.995f * 0.995f, obj.RememberedArea, 3);
    }

    [Fact]
    public void RememberSize_GrowsOrForgets_TakesTheNewBoxAtOnce()
    {
        var obj = NewObject();
        obj.RememberSize(10, 10);
        obj.RememberSize(12, 30);
        Assert.Equal(12 * 30, obj.RememberedArea, 3);

        obj.ForgetSize();
        Assert.Equal(0, obj.RememberedArea);
        obj.RememberSize(4, 5);
        Assert.Equal(20, obj.RememberedArea, 3);
    }
}
