using EdgeSam2.Demo.Report;

namespace EdgeSam2.Demo.Tests.Report;

public sealed class TrackingReportTests
{
    [Fact]
    public void Summarise_AllFramesPerfect_PassesWithMeanOne()
    {
        var report = new TrackingReport([1, 2], AllVisible(4, 2), 0);
        for (var f = 0; f < 4; f++)
        {
            report.MarkReceived(f);
            report.Record(f, 0, Masked(1.0));
            report.Record(f, 1, Masked(1.0));
        }

        var summary = report.Summarise(0.9);

        Assert.True(summary.Passed);
        Assert.Equal(1.0, summary.MeanIoU, 9);
        Assert.Equal("demo: 4 frames processed, object 1 tracked on 4/4 visible frames, object 2 on 4/4, mean IoU 1.000", summary.Line());
    }

    [Fact]
    public void Summarise_MissingFramesAndMasks_CountAsZeroAndUntracked()
    {
        var report = new TrackingReport([1], AllVisible(4, 1), 0);
        report.MarkReceived(0);
        report.Record(0, 0, Masked(0.9));
        report.MarkReceived(1);
        report.Record(1, 0, new ObjectFrameScore(true, true, false, 0, null));
        report.MarkReceived(2);
        report.Record(2, 0, Masked(0.4));

        var summary = report.Summarise(0.9);

        Assert.Equal(3, summary.FramesProcessed);
        Assert.Equal(new ObjectSummary(1, 1, 4, (0.9 + 0.4) / 4), summary.Objects[0]);
        Assert.Equal((0.9 + 0.4) / 4, summary.MeanIoU, 9);
        Assert.False(summary.Passed);
        Assert.Equal("mean IoU 0.325 is below 0.9", summary.Failure);
    }

    [Fact]
    public void Summarise_InvisibleAndPrePromptFrames_AreNotScored()
    {
        var visible = AllVisible(5, 1);
        visible[3, 0] = false;
        var report = new TrackingReport([7], visible, 1);
        for (var f = 0; f < 5; f++)
        {
            report.MarkReceived(f);
            report.Record(f, 0, Masked(f is 0 or 3 ? 0.0 : 0.95));
        }

        var summary = report.Summarise(0.9);

        Assert.Equal((3, 3), (summary.Objects[0].TrackedFrames, summary.Objects[0].VisibleFrames));
        Assert.Equal(0.95, summary.Objects[0].MeanIoU, 9);
        Assert.True(summary.Passed);
    }

    [Fact]
    public void Summarise_MeanIsOverAllObjectFramesNotMeanOfObjectMeans()
    {
        var visible = AllVisible(4, 2);
        visible[1, 1] = visible[2, 1] = visible[3, 1] = false;
        var report = new TrackingReport([1, 2], visible, 0);
        for (var f = 0; f < 4; f++)
        {
            report.MarkReceived(f);
            report.Record(f, 0, Masked(1.0));
        }

        report.Record(0, 1, Masked(0.5));

        Assert.Equal(4.5 / 5, report.Summarise(0.9).MeanIoU, 9);
    }

    [Fact]
    public void Summarise_NothingVisible_Fails()
    {
        var report = new TrackingReport([1], new bool[3, 1], 0);

        Assert.Equal("no visible frame was scored", report.Summarise(0.9).Failure);
    }

    [Fact]
    public void MarkReceived_RepeatOrOutOfRange_FalseAndNotCounted()
    {
        var report = new TrackingReport([1], AllVisible(3, 1), 0);

        Assert.True(report.MarkReceived(2));
        Assert.False(report.MarkReceived(2));
        Assert.False(report.MarkReceived(3));
        Assert.False(report.MarkReceived(-1));
        Assert.Equal(1, report.FramesProcessed);
    }

    [Fact]
    public void Record_Problems_KeepsFirstFiveAndCountsAll()
    {
        var report = new TrackingReport([4], AllVisible(8, 1), 0);
        for (var f = 0; f < 8; f++)
        {
            report.Record(f, 0, new ObjectFrameScore(true, true, true, 1, $"p{f}"));
        }

        Assert.Equal(8, report.ProblemCount);
        Assert.Equal(["frame 0, object 4: p0", "frame 1, object 4: p1", "frame 2, object 4: p2", "frame 3, object 4: p3", "frame 4, object 4: p4"], report.Problems);
    }

    private static ObjectFrameScore Masked(double iou) => new(true, true, true, iou, null);

    private static bool[,] AllVisible(int frames, int objects)
    {
        var visible = new bool[frames, objects];
        for (var f = 0; f < frames; f++)
        {
            for (var o = 0; o < objects; o++)
            {
                visible[f, o] = true;
            }
        }

        return visible;
    }
}
