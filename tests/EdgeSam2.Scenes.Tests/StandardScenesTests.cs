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
    public void LookAlikesCrossing_ApartAtTheEnds_OverlapFrom25To31_ASeventhHiddenAtClosest()
    {
        var renderer = new SceneRenderer(StandardScenes.LookAlikesCrossing());
        var (a, b) = (renderer.Spec.Objects[0], renderer.Spec.Objects[1]);
        for (var f = 0; f < renderer.Spec.FrameCount; f++)
        {
            var gap = Distance(a.Trajectory.PositionAt(f), b.Trajectory.PositionAt(f)) - a.Size - b.Size;
            Assert.True(f is >= 25 and <= 31 ? gap < 0 : gap > 0, $"frame {f}: gap {gap:0.0}");
            Assert.Equal(renderer.FullArea(f, b.Id), renderer.VisibleArea(f, b.Id)); // the second is drawn on top
        }

        var hidden = 1 - ((double)renderer.VisibleArea(28, a.Id) / renderer.FullArea(28, a.Id));
        Assert.InRange(hidden, 0.12, 0.17);
    }

    [Fact]
    public void LookAlikesTouching_FromContact_EdgesMeetAndNeitherHidesTheOther()
    {
        var renderer = new SceneRenderer(StandardScenes.LookAlikesTouching());
        var (a, b) = (renderer.Spec.Objects[0], renderer.Spec.Objects[1]);
        for (var f = StandardScenes.Touching.ContactFrame; f < renderer.Spec.FrameCount; f++)
        {
            Assert.Equal(a.Size + b.Size, Distance(a.Trajectory.PositionAt(f), b.Trajectory.PositionAt(f)), 6);
            Assert.True(renderer.VisibleArea(f, a.Id) >= 0.97 * renderer.FullArea(f, a.Id), $"frame {f}: the first is hidden");
        }
    }

    [Fact]
    public void Crowd_EveryFrame_SixteenDiscsApartAndInsideTheFrame()
    {
        var renderer = new SceneRenderer(StandardScenes.Crowd());
        var objects = renderer.Spec.Objects;
        Assert.Equal(16, objects.Count);
        for (var f = 0; f < renderer.Spec.FrameCount; f++)
        {
            for (var i = 0; i < objects.Count; i++)
            {
                Assert.Equal(renderer.FullArea(f, objects[i].Id), renderer.VisibleArea(f, objects[i].Id));
                for (var j = 0; j < i; j++)
                {
                    var gap = Distance(objects[i].Trajectory.PositionAt(f), objects[j].Trajectory.PositionAt(f)) - objects[i].Size - objects[j].Size;
                    Assert.True(gap >= 50, $"frame {f}: discs {objects[j].Id} and {objects[i].Id} {gap:0.0} px apart");
                }
            }
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
    public void CreepingBar_Visibility_PartlyHiddenFrom62_HiddenOn555To582_HalfVisibleFrom829()
    {
        var renderer = new SceneRenderer(StandardScenes.CreepingBar());
        var id = StandardScenes.Creeping.TargetId;
        var visible = Enumerable.Range(0, renderer.Spec.FrameCount)
            .Select(f => (double)renderer.VisibleArea(f, id) / renderer.FullArea(f, id)).ToList();

        Assert.Equal(62, visible.FindIndex(v => v < 1));
        Assert.Equal(555, visible.FindIndex(v => v == 0));
        Assert.Equal(582, visible.FindLastIndex(v => v == 0));
        Assert.Equal(829, visible.FindIndex(582, v => v >= 0.5));
        var step = renderer.CentreOf(500, id).X - renderer.CentreOf(499, id).X;
        Assert.Equal(0.144, step, 3); // the bench's GridScene at 3000 frames: 432 px over 2999 frames
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
