namespace EdgeSam2.Scenes.Tests;

public sealed class StandardScenesTests
{
    private const double MinimumGap = 40;

    [Fact]
    public void TwoTargets_EveryFrame_TargetsStayApartFromEachOtherAndTheDistractor()
    {
        var spec = StandardScenes.TwoTargets();
        var disc = spec.Objects[0];
        var square = spec.Objects[1];
        var distractor = spec.Distractors[0];

        // Conservative: the square counts as its circumscribed disc.
        var squareRadius = square.Size * Math.Sqrt(2);
        for (var f = 0; f < spec.FrameCount; f++)
        {
            var a = disc.Trajectory.PositionAt(f);
            var b = square.Trajectory.PositionAt(f);
            Assert.True(Distance(a, b) - disc.Size - squareRadius >= MinimumGap, $"frame {f}: targets too close");
            Assert.True(Distance(a, distractor.Position) - disc.Size - distractor.Size >= MinimumGap, $"frame {f}: disc near distractor");
            Assert.True(Distance(b, distractor.Position) - squareRadius - distractor.Size >= MinimumGap, $"frame {f}: square near distractor");
        }
    }

    [Fact]
    public void TwoTargets_EveryFrame_TargetsWhollyVisibleInsideFrame()
    {
        var renderer = new SceneRenderer(StandardScenes.TwoTargets());
        var squareSide = 2 * (int)StandardScenes.Two.SquareHalfSide;
        for (var f = 0; f < renderer.Spec.FrameCount; f++)
        {
            foreach (var o in renderer.Spec.Objects)
            {
                Assert.Equal(renderer.FullArea(f, o.Id), renderer.VisibleArea(f, o.Id));
                var box = renderer.VisibleBox(f, o.Id)!.Value;
                Assert.True(box.X1 > 0 && box.Y1 > 0 && box.X2 < renderer.Spec.Width && box.Y2 < renderer.Spec.Height, $"frame {f} object {o.Id} touches the edge: {box}");
            }

            Assert.Equal(squareSide * squareSide, renderer.FullArea(f, StandardScenes.Two.SquareId));
        }
    }

    [Fact]
    public void OccludedTarget_Distractor_NeverTouchesTargetPath()
    {
        var spec = StandardScenes.OccludedTarget();
        for (var f = 0; f < spec.FrameCount; f++)
        {
            var gap = Distance(spec.Objects[0].Trajectory.PositionAt(f), spec.Distractors[0].Position) - (2 * StandardScenes.Occluded.Radius);
            Assert.True(gap >= MinimumGap, $"frame {f}: gap {gap}");
        }
    }

    [Fact]
    public void RenderFrame_StandardScenes_100FramesRenderFast()
    {
        var renderer = new SceneRenderer(StandardScenes.TwoTargets());
        var rgb = new byte[renderer.Spec.FrameByteCount];
        renderer.RenderFrame(0, rgb);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            renderer.RenderFrame(i % renderer.Spec.FrameCount, rgb);
        }

        // About 30 ms on an idle 2-core machine. The bound is loose because CI machines run many builds at once:
        // it catches an order-of-magnitude regression (per-pixel shape tests, per-frame background rendering).
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"100 frames took {watch.Elapsed}");
    }

    private static double Distance(ScenePoint a, ScenePoint b) => Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
