using EdgeSam2.Demo.Report;
using EdgeSam2.Demo.Session;

namespace EdgeSam2.Demo.Tests.Report;

public sealed class ProgressLineTests
{
    [Fact]
    public void Format_TrackedObjectWithMask_AlignedColumnsWithIoU()
    {
        var o = new TrackedObjectMessage(1, "red disc", "tracking", 27.2, 0.97, [28, 67, 93, 134], null, 3600, null, new RleMask([384, 512], ""));

        var line = ProgressLine.Format(10, 10, o, new ObjectFrameScore(true, true, true, 0.9581, null));

        Assert.Equal("frame  10  t= 1.0s  object 1 red disc     tracking  bbox [ 28,  67,  93, 134]  presence   27.20  IoU 0.958", line);
    }

    [Fact]
    public void Format_OccludedWithoutMaskButVisible_SaysNoMask()
    {
        var o = new TrackedObjectMessage(2, null, "occluded", -4, 0.1, [1, 2, 3, 4], null, 0, null, null);

        var line = ProgressLine.Format(5, 10, o, new ObjectFrameScore(true, true, false, 0, null));

        Assert.EndsWith("occluded  bbox [  1,   2,   3,   4]  presence   -4.00  IoU no mask", line);
    }

    [Fact]
    public void Missing_VisibleObject_SaysItCountsZero()
    {
        Assert.Equal("frame  79  t= 7.9s  object 2 not in this frame's tracks (it is visible: IoU 0)", ProgressLine.Missing(79, 10, 2, true));
    }

    [Fact]
    public void Line_ThreeObjects_FirstLongFormOthersShort()
    {
        var summary = new DemoSummary(10, 10, [new ObjectSummary(1, 9, 10, 0.9), new ObjectSummary(2, 8, 10, 0.8), new ObjectSummary(5, 0, 0, 0)], 0.85, "x");

        Assert.Equal("demo: 10 frames processed, object 1 tracked on 9/10 visible frames, object 2 on 8/10, object 5 on 0/0, mean IoU 0.850", summary.Line());
        Assert.False(summary.Passed);
    }
}
