using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Tracking.Tests.Masks;

public sealed class MaskOverlapTests
{
    [Fact]
    public void Apply_ThreeMaps_HighestLogitKeepsEachPixelOthersClampedToFloor()
    {
        // 19 pixels: longer than any vector width, so the vector loop and the scalar tail both run.
        const int n = 19;
        var maps = new float[3 * n];
        for (var i = 0; i < n; i++)
        {
            maps[i] = 1f + i;          // object 0: rises
            maps[n + i] = 20f - i;     // object 1: falls
            maps[(2 * n) + i] = -1024f; // object 2: absent
        }

        maps[9] = maps[n + 9] = 11f; // a tie: the first object takes it
        var expected = (float[])maps.Clone();
        for (var i = 0; i < n; i++)
        {
            var winner = maps[i] >= maps[n + i] ? 0 : 1;
            expected[((1 - winner) * n) + i] = Math.Min(maps[((1 - winner) * n) + i], -10f);
        }

        new MaskOverlap().Apply(maps, 3, n, MaskOverlap.LogitFloor);

        Assert.Equal(expected, maps);
        for (var i = 0; i < n; i++)
        {
            Assert.False(maps[i] > 0 && maps[n + i] > 0, $"pixel {i} positive for two objects");
        }
    }

    [Fact]
    public void MemoryFloor_IsTheLogitFloorThroughSigmoidScale()
    {
        Assert.Equal((20f / (1f + MathF.Exp(10f))) - 10f, MaskOverlap.MemoryFloor, 5);
    }

    [Fact]
    public void Apply_TiedLookAlikesWithPriors_SplitAtTheBoundaryBetweenTheirPredictedBoxes()
    {
        // Two objects claim the same 13-cell-wide band with equal logits (look-alikes side by side); their priors put
        // object 0 at x = 3.5 and object 1 at x = 9.5, 3 cells wide each side: the band splits between x = 6 and 7.
        const int side = 13;
        var maps = new float[2 * side * side];
        maps.AsSpan().Fill(-5f);
        for (var y = 4; y < 9; y++)
        {
            maps.AsSpan((y * side) + 0, side).Fill(8f);
            maps.AsSpan((side * side) + (y * side), side).Fill(8f);
        }

        maps[side * side * 2 - 1] = -3f; // an unclaimed pixel keeps its own logit (-3 > floor)
        var contested = new bool[2];
        OwnershipPrior[] priors = [new(3.5f, 6.5f, 3, 3), new(9.5f, 6.5f, 3, 3)];

        PixelBox[] claimed = [new(0, 4, side, 9), new(0, 4, side, 9)];
        new MaskOverlap().Apply(maps, 2, side, priors, claimed, MaskOverlap.LogitFloor, contested);

        for (var y = 4; y < 9; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var first = maps[(y * side) + x] > 0;
                var second = maps[(side * side) + (y * side) + x] > 0;
                Assert.True(first == (x <= 6), $"({x},{y}): object 0 {(first ? "has" : "lacks")} it");
                Assert.True(first != second, $"({x},{y}): claimed by {(first ? "both" : "neither")}");
            }
        }

        Assert.Equal(-3f, maps[side * side * 2 - 1]);
        Assert.Equal([true, true], contested);
    }

    [Fact]
    public void Apply_ApartObjectsWithPriors_KeepEveryPixelAndAreNotContested()
    {
        const int side = 16;
        var maps = new float[2 * side * side];
        maps.AsSpan().Fill(-20f);
        maps.AsSpan(0, side * 4).Fill(5f);                       // object 0: rows 0-3
        maps.AsSpan((side * side) + (side * 10), side * 4).Fill(5f); // object 1: rows 10-13
        var before = (float[])maps.Clone();
        var contested = new bool[2];

        // Priors far from the masks: they must not take pixels nobody else claims.
        // Boxes of the whole map, so that the prior path runs rather than being skipped as boxes apart.
        PixelBox[] whole = [new(0, 0, side, side), new(0, 0, side, side)];
        new MaskOverlap().Apply(maps, 2, side, [new(12f, 12f, 1, 1), new(2f, 2f, 1, 1)], whole, MaskOverlap.LogitFloor, contested);

        for (var i = 0; i < maps.Length; i++)
        {
            Assert.Equal(before[i] > 0, maps[i] > 0);
        }

        Assert.Equal([false, false], contested);
    }

    [Fact]
    public void Apply_ClearlyHigherLogitFarFromItsPrior_StillWins()
    {
        // One contested pixel: object 0 is 2 half-sizes away (penalty 4) with logit 20; object 1 is at its centre with 8.
        var maps = new float[] { 20f, 8f };
        new MaskOverlap().Apply(maps, 2, 1, [new(2.5f, 0.5f, 1, 1), new(0.5f, 0.5f, 1, 1)], [new(0, 0, 1, 1), new(0, 0, 1, 1)], MaskOverlap.LogitFloor, new bool[2]);
        Assert.Equal([20f, -10f], maps);
    }

    [Fact]
    public void Apply_BoxesMeetingInAStrip_ResolveTheStripOnlyAndLeaveTheRestAsItIs()
    {
        // Object 0 claims columns 0-7 of rows 2-9, object 1 columns 6-13: they contest the strip x = 6, 7 only. Outside
        // it no pixel is claimed twice, so every value there stays (SAM 2 would lower the loser's negative logits to
        // the floor, which changes no mask); mask_for_mem is scanned only where two boxes overlap.
        const int side = 16;
        var maps = new float[2 * side * side];
        maps.AsSpan().Fill(-3f);
        for (var y = 2; y < 10; y++)
        {
            maps.AsSpan((y * side) + 0, 8).Fill(6f);
            maps.AsSpan((side * side) + (y * side) + 6, 8).Fill(6f);
        }

        var before = (float[])maps.Clone();
        var contested = new bool[2];
        OwnershipPrior[] priors = [new(4f, 6f, 4, 4), new(10f, 6f, 4, 4)];
        PixelBox[] claimed = [new(0, 2, 8, 10), new(6, 2, 14, 10)];

        new MaskOverlap().Apply(maps, 2, side, priors, claimed, MaskOverlap.LogitFloor, contested);

        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var (i, j) = ((y * side) + x, (side * side) + (y * side) + x);
                if (y is >= 2 and < 10 && x is 6 or 7)
                {
                    Assert.True((maps[i] > 0) != (maps[j] > 0), $"({x},{y}) is claimed by {(maps[i] > 0 ? "both" : "neither")}");
                    Assert.Equal(x == 6, maps[i] > 0); // each goes to the object whose predicted centre is nearer
                }
                else
                {
                    Assert.Equal(before[i], maps[i]);
                    Assert.Equal(before[j], maps[j]);
                }
            }
        }

        Assert.Equal([true, true], contested);
    }

    [Fact]
    public void Apply_BoxesThatDoNotMeet_LeaveEveryMapAsItIs()
    {
        const int side = 8;
        var maps = new float[2 * side * side];
        maps.AsSpan().Fill(-3f);
        maps[9] = 4f;                       // object 0 claims (1,1)
        maps[(side * side) + 54] = 4f;      // object 1 claims (6,6)
        var before = (float[])maps.Clone();
        var contested = new bool[] { true, true };

        new MaskOverlap().Apply(maps, 2, side, [OwnershipPrior.None, OwnershipPrior.None], [new(1, 1, 2, 2), new(6, 6, 7, 7)], MaskOverlap.LogitFloor, contested);

        Assert.Equal(before, maps);
        Assert.Equal([false, false], contested);
    }

    [Fact]
    public void Apply_RandomMapsWithPriors_SameToTheBitAsThePixelByPixelRule()
    {
        // The rectangles where boxes meet are resolved row by row for their maps at once; each pixel must still get exactly
        // what the rule gives it map after map, among the maps whose boxes hold it: rank (logit, or claimed offset minus the capped prior distance), the maximum rank keeps its
        // value on the first map to reach it, every other map is clamped to the floor. Quarter-step logits make ties.
        const int side = 37, count = 4;
        var random = new Random(7);
        var maps = new float[count * side * side];
        // Each map claims pixels inside its own rectangle only; the last one meets no other, so it must stay as it is.
        PixelBox[] regions = [new(2, 3, 20, 25), new(15, 10, 30, 30), new(22, 0, 36, 18), new(5, 28, 12, 36)];
        for (var i = 0; i < maps.Length; i++)
        {
            var (k, x, y) = (i / (side * side), i % side, i % (side * side) / side);
            var inside = x >= regions[k].X1 && x < regions[k].X2 && y >= regions[k].Y1 && y < regions[k].Y2;
            var value = random.Next(-40, 13) / 4f;
            maps[i] = inside ? value : -Math.Abs(value) - 0.25f;
        }

        OwnershipPrior[] priors = [new(10.5f, 12f, 6, 5), OwnershipPrior.None, new(25f, 20.5f, 4, 7), new(18f, 18f, 9, 9)];
        var claimed = new PixelBox[count];
        for (var k = 0; k < count; k++)
        {
            claimed[k] = BoxOfClaims(maps.AsSpan(k * side * side, side * side), side);
        }

        var contested = ApplyAndCheckAgainstReference(maps, count, side, priors, claimed);

        Assert.Equal([true, true, true, false], contested);
    }

    [Fact]
    public void Apply_ManyRandomBoxes_SameToTheBitAsThePixelByPixelRule()
    {
        // Boxes of every kind: nested, sharing an edge, one cell wide, meeting three at a time, empty; each map also
        // claims its box's corners, so the box is the box of its claims.
        const int side = 29, count = 7;
        var random = new Random(23);
        for (var round = 0; round < 40; round++)
        {
            var maps = new float[count * side * side];
            var claimed = new PixelBox[count];
            var priors = new OwnershipPrior[count];
            for (var k = 0; k < count; k++)
            {
                var (x1, y1) = (random.Next(0, side - 1), random.Next(0, side - 1));
                claimed[k] = k == count - 1 && round % 3 == 0
                    ? PixelBox.Empty
                    : new PixelBox(x1, y1, random.Next(x1 + 1, Math.Min(side, x1 + 16) + 1), random.Next(y1 + 1, Math.Min(side, y1 + 16) + 1));
                priors[k] = random.Next(3) == 0 ? OwnershipPrior.None : new(random.Next(side), random.Next(side), random.Next(1, 8), random.Next(1, 8));
                var b = claimed[k];
                for (var i = 0; i < side * side; i++)
                {
                    var (x, y) = (i % side, i / side);
                    var inside = !b.IsEmpty && x >= b.X1 && x < b.X2 && y >= b.Y1 && y < b.Y2;
                    var value = random.Next(-40, 13) / 4f;
                    var corner = inside && (x == b.X1 || x == b.X2 - 1) && (y == b.Y1 || y == b.Y2 - 1);
                    maps[(k * side * side) + i] = corner ? 1f : inside ? value : -Math.Abs(value) - 0.25f;
                }
            }

            ApplyAndCheckAgainstReference(maps, count, side, priors, claimed);
        }
    }

    [Fact]
    public void Apply_TwoPairsMeetingFarApart_LeaveEverythingBetweenThemAsItIs()
    {
        // Objects 0 and 1 meet in the top-left corner, 2 and 3 in the bottom-right: the rectangle that bounds both
        // meetings spans the map, yet only the two meetings are resolved (all four objects claim their whole boxes).
        const int side = 32;
        var maps = new float[4 * side * side];
        maps.AsSpan().Fill(-3f);
        PixelBox[] claimed = [new(0, 0, 6, 6), new(4, 4, 10, 10), new(22, 22, 28, 28), new(26, 26, 32, 32)];
        for (var k = 0; k < 4; k++)
        {
            for (var y = claimed[k].Y1; y < claimed[k].Y2; y++)
            {
                maps.AsSpan((k * side * side) + (y * side) + claimed[k].X1, claimed[k].Width).Fill(5f);
            }
        }

        var before = (float[])maps.Clone();
        var contested = new bool[4];

        new MaskOverlap().Apply(maps, 4, side, [OwnershipPrior.None, OwnershipPrior.None, OwnershipPrior.None, OwnershipPrior.None], claimed, MaskOverlap.LogitFloor, contested);

        var changed = 0;
        for (var i = 0; i < maps.Length; i++)
        {
            if (maps[i] != before[i])
            {
                var (k, x, y) = (i / (side * side), i % side, i % (side * side) / side);
                var inMeeting = (x is >= 4 and < 6 && y is >= 4 and < 6) || (x is >= 26 and < 28 && y is >= 26 and < 28);
                Assert.True(inMeeting && k is 1 or 3, $"map {k} changed at ({x},{y})");
                changed++;
            }
        }

        Assert.Equal(8, changed); // the later object of each pair loses the 4 tied pixels to the earlier one
        Assert.Equal([true, true, true, true], contested);
    }

    [Fact]
    public void Apply_MapsHeldApart_SameAsTheStackOverWholeMaps()
    {
        const int side = 21, count = 3;
        var random = new Random(11);
        var stacked = new float[count * side * side];
        for (var i = 0; i < stacked.Length; i++)
        {
            stacked[i] = random.Next(-24, 9) / 2f;
        }

        OwnershipPrior[] priors = [new(5f, 5f, 4, 4), new(15f, 10f, 3, 6), OwnershipPrior.None];
        var apart = new float[count][];
        for (var k = 0; k < count; k++)
        {
            apart[k] = stacked.AsSpan(k * side * side, side * side).ToArray();
        }

        PixelBox[] whole = [new(0, 0, side, side), new(0, 0, side, side), new(0, 0, side, side)];
        var overlap = new MaskOverlap();
        overlap.Apply(stacked, count, side, priors, whole, MaskOverlap.LogitFloor, new bool[count]);
        overlap.Apply(apart, count, side, priors, MaskOverlap.LogitFloor);

        for (var k = 0; k < count; k++)
        {
            Assert.Equal(stacked.AsSpan(k * side * side, side * side).ToArray(), apart[k]);
        }
    }

    private static PixelBox BoxOfClaims(ReadOnlySpan<float> map, int side)
    {
        var (x1, y1, x2, y2) = (side, side, 0, 0);
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] > 0)
            {
                (x1, y1, x2, y2) = (Math.Min(x1, i % side), Math.Min(y1, i / side), Math.Max(x2, (i % side) + 1), Math.Max(y2, (i / side) + 1));
            }
        }

        return x2 > x1 ? new PixelBox(x1, y1, x2, y2) : PixelBox.Empty;
    }

    /// <summary>Applies the constraint to <paramref name="maps"/> and asserts maps and contested flags equal <see cref="Reference"/>'s; returns the flags.</summary>
    private static bool[] ApplyAndCheckAgainstReference(float[] maps, int count, int side, OwnershipPrior[] priors, PixelBox[] claimed)
    {
        var expected = (float[])maps.Clone();
        var expectedContested = Reference(expected, count, side, priors, claimed, MaskOverlap.LogitFloor);
        var contested = new bool[count];

        new MaskOverlap().Apply(maps, count, side, priors, claimed, MaskOverlap.LogitFloor, contested);

        Assert.Equal(expected, maps);
        Assert.Equal(expectedContested, contested);
        return contested;
    }

    /// <summary>The rule, one pixel at a time, on every pixel that lies in two boxes or more, among the maps whose boxes hold it.</summary>
    private static bool[] Reference(float[] maps, int count, int side, OwnershipPrior[] priors, PixelBox[] claimed, float floor)
    {
        var contested = new bool[count];
        var ranks = new float[count];
        var holds = new bool[count];
        for (var y = 0; y < side; y++)
        {
            for (var x = 0; x < side; x++)
            {
                var holders = 0;
                for (var k = 0; k < count; k++)
                {
                    var b = claimed[k];
                    holds[k] = !b.IsEmpty && x >= b.X1 && x < b.X2 && y >= b.Y1 && y < b.Y2;
                    holders += holds[k] ? 1 : 0;
                }

                if (holders < 2)
                {
                    continue;
                }

                var (max, claims) = (float.NegativeInfinity, 0);
                for (var k = 0; k < count; k++)
                {
                    if (!holds[k])
                    {
                        continue;
                    }

                    var (v, p) = (maps[(k * side * side) + (y * side) + x], priors[k]);
                    var (dx, dy) = p.IsKnown ? ((x + 0.5f - p.CenterX) / p.HalfWidth, (y + 0.5f - p.CenterY) / p.HalfHeight) : (0f, 0f);
                    ranks[k] = v > 0 ? v + 1000f - (MaskOverlap.PriorWeight * MathF.Min((dx * dx) + (dy * dy), 16f)) : v;
                    max = Math.Max(max, ranks[k]);
                    claims += v > 0 ? 1 : 0;
                }

                var free = true;
                for (var k = 0; k < count; k++)
                {
                    if (!holds[k])
                    {
                        continue;
                    }

                    var at = (k * side * side) + (y * side) + x;
                    contested[k] |= maps[at] > 0 && claims > 1;
                    if (ranks[k] == max && free)
                    {
                        free = false;
                    }
                    else
                    {
                        maps[at] = MathF.Min(maps[at], floor);
                    }
                }
            }
        }

        return contested;
    }
}
