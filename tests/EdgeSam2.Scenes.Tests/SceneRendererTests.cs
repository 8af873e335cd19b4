namespace EdgeSam2.Scenes.Tests;

public sealed class SceneRendererTests
{
    public static TheoryData<string> Scenes => new() { nameof(StandardScenes.OccludedTarget), nameof(StandardScenes.TwoTargets) };

    internal static SceneSpec Named(string name) =>
        name == nameof(StandardScenes.OccludedTarget) ? StandardScenes.OccludedTarget() : StandardScenes.TwoTargets();

    [Fact]
    public void RenderFrame_SameSpecTwice_ProducesIdenticalBytes()
    {
        var a = new SceneRenderer(StandardScenes.TwoTargets());
        var b = new SceneRenderer(StandardScenes.TwoTargets());
        for (var f = 0; f < a.Spec.FrameCount; f += 7)
        {
            Assert.Equal(a.RenderFrame(f), b.RenderFrame(f));
        }
    }

    [Fact]
    public void RenderFrame_DifferentSeed_ChangesBackgroundOnly()
    {
        var spec = StandardScenes.TwoTargets();
        var a = new SceneRenderer(spec).RenderFrame(5);
        var b = new SceneRenderer(spec with { Seed = spec.Seed + 1 }).RenderFrame(5);
        var differing = 0;
        for (var i = 0; i < a.Length; i++)
        {
            differing += a[i] != b[i] ? 1 : 0;
        }

        Assert.True(differing > a.Length / 2, $"only {differing} of {a.Length} bytes differ");
    }

    [Fact]
    public void RenderFrame_EmptyScene_StaysInsideGreenOliveBandAndVaries()
    {
        var spec = new SceneSpec { Width = 200, Height = 150, FrameCount = 1, Seed = 42 };
        var rgb = new SceneRenderer(spec).RenderFrame(0);
        var distinct = new HashSet<int>();
        for (var i = 0; i < rgb.Length; i += 3)
        {
            Assert.InRange(rgb[i], SceneBackground.RedMin, SceneBackground.RedMax);
            Assert.InRange(rgb[i + 1], SceneBackground.GreenMin, SceneBackground.GreenMax);
            Assert.InRange(rgb[i + 2], SceneBackground.BlueMin, SceneBackground.BlueMax);
            distinct.Add(rgb[i] | (rgb[i + 1] << 8) | (rgb[i + 2] << 16));
        }

        Assert.True(distinct.Count > 200, $"background has only {distinct.Count} colours");
    }

    [Theory]
    [MemberData(nameof(Scenes))]
    public void RenderVisibleMask_EveryFrame_EqualsTargetColouredPixelsInsideShape(string name)
    {
        var renderer = new SceneRenderer(Named(name));
        var spec = renderer.Spec;
        var visible = new byte[spec.Width * spec.Height];
        var full = new byte[visible.Length];
        var rgb = new byte[spec.FrameByteCount];
        for (var f = 0; f < spec.FrameCount; f++)
        {
            renderer.RenderFrame(f, rgb);
            foreach (var o in spec.Objects)
            {
                renderer.RenderVisibleMask(f, o.Id, visible);
                renderer.RenderFullMask(f, o.Id, full);
                var window = Window(renderer, f, o);
                int area = 0, firstMismatch = -1;
                for (var y = window.Y1; y < window.Y2; y++)
                {
                    for (var x = window.X1; x < window.X2; x++)
                    {
                        var p = (y * spec.Width) + x;
                        var hasColour = rgb[3 * p] == o.Colour.R && rgb[(3 * p) + 1] == o.Colour.G && rgb[(3 * p) + 2] == o.Colour.B;
                        var expected = full[p] == 1 && hasColour ? 1 : 0;
                        firstMismatch = firstMismatch < 0 && expected != visible[p] ? p : firstMismatch;
                        area += visible[p];
                    }
                }

                Assert.True(firstMismatch < 0, $"frame {f} object {o.Id} pixel ({firstMismatch % spec.Width},{firstMismatch / spec.Width})");
                Assert.Equal(area, visible.AsSpan().Count((byte)1));  // nothing outside the shape's window
                Assert.Equal(area, renderer.VisibleArea(f, o.Id));
            }
        }
    }

    [Fact]
    public void FullMask_DiscWithIntegerCentre_MatchesPixelFormula()
    {
        var spec = new SceneSpec
        {
            Width = 64, Height = 64, FrameCount = 1,
            Objects = [new SceneObject(1, SceneShape.Disc, StandardScenes.Red, 10, Trajectory.Static(30, 25))],
        };
        var mask = new byte[64 * 64];
        new SceneRenderer(spec).RenderFullMask(0, 1, mask);
        for (var y = 0; y < 64; y++)
        {
            for (var x = 0; x < 64; x++)
            {
                var inside = ((x - 30) * (x - 30)) + ((y - 25) * (y - 25)) <= 100;
                Assert.Equal(inside ? 1 : 0, mask[(y * 64) + x]);
            }
        }
    }

    [Fact]
    public void FullMask_SquareWithIntegerCentre_IsTwiceHalfSideWide()
    {
        var spec = new SceneSpec
        {
            Width = 64, Height = 64, FrameCount = 1,
            Objects = [new SceneObject(1, SceneShape.Square, StandardScenes.Blue, 8, Trajectory.Static(20, 30))],
        };
        var renderer = new SceneRenderer(spec);
        Assert.Equal(16 * 16, renderer.FullArea(0, 1));
        Assert.Equal(new SceneRect(12, 22, 28, 38), renderer.VisibleBox(0, 1));
    }

    [Fact]
    public void VisibleMask_OccludedTarget_HidesExactlyTheBar()
    {
        var renderer = new SceneRenderer(StandardScenes.OccludedTarget());
        var spec = renderer.Spec;
        var bar = StandardScenes.Occluded.Bar;
        var visible = new byte[spec.Width * spec.Height];
        var full = new byte[visible.Length];
        for (var f = 0; f < spec.FrameCount; f++)
        {
            renderer.RenderVisibleMask(f, StandardScenes.Occluded.TargetId, visible);
            renderer.RenderFullMask(f, StandardScenes.Occluded.TargetId, full);
            var window = Window(renderer, f, spec.Objects[0]);
            int mismatches = 0, fullInWindow = 0;
            for (var y = window.Y1; y < window.Y2; y++)
            {
                for (var x = window.X1; x < window.X2; x++)
                {
                    var p = (y * spec.Width) + x;
                    var underBar = x >= bar.X1 && x < bar.X2 && y >= bar.Y1 && y < bar.Y2;
                    mismatches += (underBar ? 0 : full[p]) != visible[p] ? 1 : 0;
                    fullInWindow += full[p];
                }
            }

            Assert.True(mismatches == 0, $"frame {f}: {mismatches} pixels differ");
            Assert.Equal(fullInWindow, full.AsSpan().Count((byte)1));
            Assert.Equal(visible.AsSpan().Count((byte)1), renderer.VisibleArea(f, StandardScenes.Occluded.TargetId));
        }
    }

    [Fact]
    public void VisibleArea_OccludedTarget_ZeroExactlyInDocumentedHiddenFrames()
    {
        var renderer = new SceneRenderer(StandardScenes.OccludedTarget());
        const int id = StandardScenes.Occluded.TargetId;
        for (var f = 0; f < renderer.Spec.FrameCount; f++)
        {
            var hidden = f is >= StandardScenes.Occluded.FirstHiddenFrame and <= StandardScenes.Occluded.LastHiddenFrame;
            Assert.True(hidden == (renderer.VisibleArea(f, id) == 0), $"frame {f}: visible area {renderer.VisibleArea(f, id)}");
            Assert.True(renderer.FullArea(f, id) > 0);
            Assert.Equal(hidden, renderer.VisibleBox(f, id) is null);
        }

        Assert.Equal(renderer.FullArea(0, id), renderer.VisibleArea(0, id));
        const int entering = StandardScenes.Occluded.FirstHiddenFrame - 2, leaving = StandardScenes.Occluded.LastHiddenFrame + 2;
        Assert.InRange(renderer.VisibleArea(entering, id), 1, renderer.FullArea(entering, id) - 1);
        Assert.InRange(renderer.VisibleArea(leaving, id), 1, renderer.FullArea(leaving, id) - 1);
    }

    [Fact]
    public void VisibleMask_LaterObjectOverlaps_HidesEarlierObject()
    {
        var spec = new SceneSpec
        {
            Width = 100, Height = 60, FrameCount = 1,
            Objects =
            [
                new SceneObject(7, SceneShape.Square, StandardScenes.Red, 10, Trajectory.Static(40, 30)),
                new SceneObject(9, SceneShape.Square, StandardScenes.Blue, 10, Trajectory.Static(50, 30)),
            ],
        };
        var renderer = new SceneRenderer(spec);

        // The first square covers x ∈ [30, 50), the second [40, 60): the second hides x ∈ [40, 50) of the first.
        Assert.Equal(20 * 20, renderer.FullArea(0, 7));
        Assert.Equal(10 * 20, renderer.VisibleArea(0, 7));
        Assert.Equal(new SceneRect(30, 20, 40, 40), renderer.VisibleBox(0, 7));
        Assert.Equal(20 * 20, renderer.VisibleArea(0, 9));
    }

    [Fact]
    public void VisibleBox_EveryFrame_IsTheMaskBoundingBox()
    {
        var renderer = new SceneRenderer(StandardScenes.OccludedTarget());
        var spec = renderer.Spec;
        var mask = new byte[spec.Width * spec.Height];
        for (var f = 0; f < spec.FrameCount; f++)
        {
            renderer.RenderVisibleMask(f, 1, mask);
            int x1 = int.MaxValue, y1 = int.MaxValue, x2 = -1, y2 = -1;
            for (var p = 0; p < mask.Length; p++)
            {
                if (mask[p] == 1)
                {
                    int x = p % spec.Width, y = p / spec.Width;
                    (x1, y1, x2, y2) = (Math.Min(x1, x), Math.Min(y1, y), Math.Max(x2, x + 1), Math.Max(y2, y + 1));
                }
            }

            Assert.Equal(x2 < 0 ? null : new SceneRect(x1, y1, x2, y2), renderer.VisibleBox(f, 1));
        }
    }

    [Fact]
    public void Trajectory_Waypoints_InterpolateLinearlyAndHoldAtEnds()
    {
        var t = Trajectory.Through(new Waypoint(10, 0, 0), new Waypoint(20, 100, 50), new Waypoint(30, 100, 150));
        Assert.Equal(new ScenePoint(0, 0), t.PositionAt(0));
        Assert.Equal(new ScenePoint(50, 25), t.PositionAt(15));
        Assert.Equal(new ScenePoint(100, 50), t.PositionAt(20));
        Assert.Equal(new ScenePoint(100, 100), t.PositionAt(25));
        Assert.Equal(new ScenePoint(100, 150), t.PositionAt(99));
    }

    [Fact]
    public void Constructor_DuplicateObjectIds_Throws()
    {
        var spec = new SceneSpec
        {
            Width = 10, Height = 10, FrameCount = 1,
            Objects =
            [
                new SceneObject(1, SceneShape.Disc, StandardScenes.Red, 2, Trajectory.Static(3, 3)),
                new SceneObject(1, SceneShape.Disc, StandardScenes.Red, 2, Trajectory.Static(6, 6)),
            ],
        };
        Assert.Throws<ArgumentException>(() => new SceneRenderer(spec));
    }

    // The shape's centre ± (size + 2), clipped: every pixel of the shape lies inside it.
    private static SceneRect Window(SceneRenderer renderer, int frame, SceneObject o)
    {
        var c = renderer.CentreOf(frame, o.Id);
        var reach = (int)Math.Ceiling(o.Size) + 2;
        return new SceneRect(
            Math.Clamp((int)c.X - reach, 0, renderer.Spec.Width), Math.Clamp((int)c.Y - reach, 0, renderer.Spec.Height),
            Math.Clamp((int)c.X + reach + 1, 0, renderer.Spec.Width), Math.Clamp((int)c.Y + reach + 1, 0, renderer.Spec.Height));
    }
}
