using EdgeSam2.Demo.Report;
using EdgeSam2.Demo.Session;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Demo.Tests.Report;

public sealed class FrameScorerTests
{
    private static readonly SceneRenderer Scene = new(StandardScenes.TwoTargets());
    private static readonly int Width = Scene.Spec.Width, Height = Scene.Spec.Height;

    [Fact]
    public void Score_GroundTruthMaskWithItsGeometry_IoUOneNoProblem()
    {
        var truth = Truth(10, 2);

        var score = new FrameScorer(Scene).Score(Tracks(10, Published(2, truth)), 2);

        Assert.Equal(new ObjectFrameScore(true, true, true, 1.0, null), score);
        Assert.True(score.Tracked);
    }

    [Fact]
    public void Score_MaskShiftedByHalfItsWidth_IoUAboutOneThirdNotTracked()
    {
        var truth = Truth(0, 2);
        var shifted = new byte[truth.Length];
        const int shift = 30; // half of the square's 60 px side
        for (var y = 0; y < Height; y++)
        {
            truth.AsSpan(y * Width, Width - shift).CopyTo(shifted.AsSpan((y * Width) + shift));
        }

        var score = new FrameScorer(Scene).Score(Tracks(0, Published(2, shifted)), 2);

        Assert.InRange(score.IoU, 0.30, 0.37);
        Assert.False(score.Tracked);
        Assert.Null(score.Problem);
    }

    [Fact]
    public void Score_ObjectNotInMessage_NotReportedIoUZero()
    {
        var score = new FrameScorer(Scene).Score(Tracks(5, Published(1, Truth(5, 1))), 2);

        Assert.Equal(new ObjectFrameScore(true, false, false, 0, null), score);
    }

    [Fact]
    public void Score_NoMask_ReportedWithoutMask()
    {
        var o = Published(1, Truth(5, 1)) with { Mask = null };

        var score = new FrameScorer(Scene).Score(Tracks(5, o), 1);

        Assert.Equal(new ObjectFrameScore(true, true, false, 0, null), score);
    }

    [Fact]
    public void Score_WrongArea_ProblemNamesBothAreas()
    {
        var truth = Truth(3, 1);
        var o = Published(1, truth) with { Area = 5 };

        var score = new FrameScorer(Scene).Score(Tracks(3, o), 1);

        Assert.Equal(1.0, score.IoU);
        Assert.Equal($"published area 5 but the mask has {MaskStats.Compute(truth, Width, Height).Area} pixels", score.Problem);
    }

    [Fact]
    public void Score_WrongBbox_ProblemReported()
    {
        var o = Published(1, Truth(3, 1)) with { Bbox = [0, 0, 1, 1] };

        var score = new FrameScorer(Scene).Score(Tracks(3, o), 1);

        Assert.StartsWith("published bbox [0, 0, 1, 1] but the mask spans", score.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_MaskOfOtherSize_NotUsableWithProblem()
    {
        var o = Published(1, Truth(3, 1)) with { Mask = new RleMask([10, 10], "0") };

        var score = new FrameScorer(Scene).Score(Tracks(3, o), 1);

        Assert.False(score.HasMask);
        Assert.Equal($"mask size [10, 10] is not the scene's [{Height}, {Width}]", score.Problem);
    }

    [Fact]
    public void Score_CorruptRle_NotUsableWithProblem()
    {
        var o = Published(1, Truth(3, 1)) with { Mask = new RleMask([Height, Width], "5") };

        var score = new FrameScorer(Scene).Score(Tracks(3, o), 1);

        Assert.False(score.HasMask);
        Assert.StartsWith("mask RLE does not decode", score.Problem, StringComparison.Ordinal);
    }

    private static byte[] Truth(int frame, int id)
    {
        var mask = new byte[Width * Height];
        Scene.RenderVisibleMask(frame, id, mask);
        return mask;
    }

    private static TrackedObjectMessage Published(int id, byte[] mask)
    {
        var stats = MaskStats.Compute(mask, Width, Height);
        return new TrackedObjectMessage(id, "x", "tracking", 10, 0.9, [stats.Box.X1, stats.Box.Y1, stats.Box.X2, stats.Box.Y2],
            [stats.CentroidX, stats.CentroidY], stats.Area, [0, 0], new RleMask([Height, Width], CocoRle.Encode(mask, Width, Height)));
    }

    private static TracksMessage Tracks(long frame, params TrackedObjectMessage[] objects) =>
        new("demo", frame, null, 1, Width, Height, objects);
}
