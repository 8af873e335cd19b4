using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// SAM 2's <c>_apply_non_overlapping_constraints</c> on a stack of per-object logit maps [count, length]: on every
/// pixel the object with the highest logit keeps its value and every other object's logit is clamped to at most
/// <c>floor</c>, so no pixel is positive for two objects. Ties go to the first object in the stack (torch.argmax).
/// Vectorised, allocation-free: the scratch buffers grow once to the largest map seen.
/// With <see cref="OwnershipPrior"/>s (the <c>side</c> overloads), a pixel that two objects both claim (positive logit)
/// goes to the object it lies closest to, in units of each object's motion-predicted size, unless the other's logit is
/// higher by more than the distance difference: look-alikes in contact get the same logits from the model, and SAM 2's
/// argmax would hand every tied pixel to the first object, which then spreads over the other frame by frame.
/// </summary>
public sealed class MaskOverlap
{
    /// <summary>SAM 2's clamp for the losing objects' logits (−10).</summary>
    public const float LogitFloor = -10f;

    /// <summary>
    /// <see cref="LogitFloor"/> as a <c>mask_for_mem</c> value: the decoder writes sigmoid(logit)·20 − 10, which is
    /// monotonic, so the same constraint on it is SAM 2's constraint on the high-resolution logits before the memory
    /// encoder (<c>non_overlap_masks_for_mem_enc</c>).
    /// </summary>
    public static readonly float MemoryFloor = (20f / (1f + MathF.Exp(-LogitFloor))) - 10f;

    /// <summary>Logits lost per squared normalised distance from an object's predicted centre (prior overloads).</summary>
    public const float PriorWeight = 1f;

    // A claimed (positive) pixel always outranks an unclaimed one; the distance penalty stops growing 4 half-sizes out.
    private const float ClaimedOffset = 1000f;
    private const float MaxPenaltyDistance = 16f;

    private float[] _max = [];
    private float[] _free = [];

    // The prior path works one band row at a time: every participant's ranks for that row and the row's maximum, claim
    // count and free flags stay in the cache while each map's row is read, ranked and resolved, so a map is read from
    // memory once and nothing map-sized is filled or cleared (a band of mask_for_mem's 512² or 1024² per participant).
    private int[] _parts = [];
    private float[] _scores = [];
    private float[] _xTerms = [];
    private float[] _rowMax = [];
    private float[] _rowFree = [];
    private float[] _rowClaims = [];

    /// <summary>Applies the constraint in place to <paramref name="count"/> maps of <paramref name="length"/> values.</summary>
    public void Apply(Span<float> stacked, int count, int length, float floor)
    {
        if (count < 2)
        {
            return;
        }

        if (_max.Length < length)
        {
            _max = new float[length];
            _free = new float[length];
        }

        var max = _max.AsSpan(0, length);
        var free = _free.AsSpan(0, length);
        max.Fill(float.NegativeInfinity);
        free.Fill(1f);
        for (var k = 0; k < count; k++)
        {
            TensorPrimitives.Max(max, stacked.Slice(k * length, length), max);
        }

        for (var k = 0; k < count; k++)
        {
            var map = stacked.Slice(k * length, length);
            Resolve(map, map, max, free, [], floor, findContested: false);
        }
    }

    /// <summary>
    /// Applies the constraint in place to <paramref name="count"/> square maps of side <paramref name="side"/>, deciding
    /// pixels that several objects claim by their <paramref name="priors"/> (one per map). <paramref name="claimed"/>
    /// holds, per map, a box (map cells, exclusive end) that contains every pixel the map claims (logit &gt; 0), or an empty
    /// box. Only maps whose boxes meet another map's take part, and only over the rectangle that bounds where two such
    /// boxes overlap: elsewhere no pixel is claimed twice, so the masks are already apart (SAM 2 would also lower the
    /// others' negative logits there to the floor, which changes no mask). Objects side by side thus cost the strip
    /// where their boxes meet, not every row they span (at <c>mask_for_mem</c>'s 512² or 1024², per object). <paramref name="contested"/>[k] is set to whether another map
    /// claimed any pixel map k claims (when <paramref name="contested"/> is long enough).
    /// </summary>
    public void Apply(
        Span<float> stacked, int count, int side, ReadOnlySpan<OwnershipPrior> priors, ReadOnlySpan<PixelBox> claimed, float floor, Span<bool> contested)
    {
        contested.Clear();
        if (_parts.Length < count)
        {
            _parts = new int[count];
        }

        // Every pixel two maps claim lies in the overlap of their boxes: the band is the rectangle bounding those overlaps.
        var (parts, x0, y0, x1, y1) = (0, side, side, 0, 0);
        for (var k = 0; k < count; k++)
        {
            var takesPart = false;
            for (var j = 0; j < count; j++)
            {
                if (j != k && Meet(claimed[k], claimed[j]))
                {
                    takesPart = true;
                    (x0, x1) = (Math.Min(x0, Math.Max(claimed[k].X1, claimed[j].X1)), Math.Max(x1, Math.Min(claimed[k].X2, claimed[j].X2)));
                    (y0, y1) = (Math.Min(y0, Math.Max(claimed[k].Y1, claimed[j].Y1)), Math.Max(y1, Math.Min(claimed[k].Y2, claimed[j].Y2)));
                }
            }

            if (takesPart)
            {
                _parts[parts++] = k;
            }
        }

        (x0, y0, x1, y1) = (Math.Max(0, x0), Math.Max(0, y0), Math.Min(side, x1), Math.Min(side, y1));
        if (parts < 2 || x1 <= x0 || y1 <= y0)
        {
            return;
        }

        ResolveBand(stacked, [], side, priors, parts, new PixelBox(x0, y0, x1, y1), floor, contested);
    }

    /// <summary>
    /// Applies the constraint with priors over the whole of <paramref name="count"/> square maps of side
    /// <paramref name="side"/> held apart (e.g. each object's published logits), in priority order (earlier maps win ties).
    /// </summary>
    public void Apply(ReadOnlySpan<float[]> maps, int count, int side, ReadOnlySpan<OwnershipPrior> priors, float floor)
    {
        if (count < 2)
        {
            return;
        }

        if (_parts.Length < count)
        {
            _parts = new int[count];
        }

        for (var k = 0; k < count; k++)
        {
            _parts[k] = k;
        }

        ResolveBand([], maps, side, priors, count, new PixelBox(0, 0, side, side), floor, []);
    }

    /// <summary>
    /// The prior path over <paramref name="band"/> for the first <paramref name="parts"/> maps in <see cref="_parts"/>,
    /// row by row: every participant's row is ranked into the row's maximum and claim count, then resolved in order.
    /// Each pixel sees the same operations in the same order as a pass over whole maps would give it, so the result is
    /// the same to the bit. Maps are <paramref name="stacked"/> [count, side²] when <paramref name="separate"/> is empty.
    /// </summary>
    private void ResolveBand(
        Span<float> stacked, ReadOnlySpan<float[]> separate, int side, ReadOnlySpan<OwnershipPrior> priors, int parts, PixelBox band, float floor, Span<bool> contested)
    {
        var cols = band.Width;
        if (_rowMax.Length < cols)
        {
            _rowMax = new float[cols];
            _rowFree = new float[cols];
            _rowClaims = new float[cols];
        }

        if (_scores.Length < parts * cols)
        {
            _scores = new float[parts * cols];
            _xTerms = new float[parts * cols];
        }

        for (var p = 0; p < parts; p++)
        {
            XTerms(priors[_parts[p]], band.X1, _xTerms.AsSpan(p * cols, cols));
        }

        var max = _rowMax.AsSpan(0, cols);
        var free = _rowFree.AsSpan(0, cols);
        var claims = _rowClaims.AsSpan(0, cols);
        for (var y = band.Y1; y < band.Y2; y++)
        {
            max.Fill(float.NegativeInfinity);
            claims.Clear();
            for (var p = 0; p < parts; p++)
            {
                var k = _parts[p];
                var row = Row(stacked, separate, k, side, y, band.X1, cols);
                var score = _scores.AsSpan(p * cols, cols);
                Rank(row, YTerm(priors[k], y), _xTerms.AsSpan(p * cols, cols), score, claims);
                TensorPrimitives.Max(max, score, max);
            }

            free.Fill(1f);
            for (var p = 0; p < parts; p++)
            {
                var k = _parts[p];
                var row = Row(stacked, separate, k, side, y, band.X1, cols);
                var findContested = k < contested.Length && !contested[k];
                if (Resolve(row, _scores.AsSpan(p * cols, cols), max, free, claims, floor, findContested) && findContested)
                {
                    contested[k] = true;
                }
            }
        }
    }

    private static Span<float> Row(Span<float> stacked, ReadOnlySpan<float[]> separate, int k, int side, int y, int x0, int cols) =>
        separate.IsEmpty ? stacked.Slice((k * side * side) + (y * side) + x0, cols) : separate[k].AsSpan((y * side) + x0, cols);

    private static bool Meet(PixelBox a, PixelBox b) =>
        !a.IsEmpty && !b.IsEmpty && a.X1 < b.X2 && b.X1 < a.X2 && a.Y1 < b.Y2 && b.Y1 < a.Y2;

    /// <summary>
    /// The band's squared x distances from the prior's centre in half-widths (zeros without a prior), one per band
    /// column from <paramref name="x0"/>.
    /// </summary>
    private static void XTerms(in OwnershipPrior prior, int x0, Span<float> xTerm)
    {
        if (!prior.IsKnown)
        {
            xTerm.Clear();
            return;
        }

        for (var i = 0; i < xTerm.Length; i++)
        {
            var dx = (x0 + i + 0.5f - prior.CenterX) / prior.HalfWidth;
            xTerm[i] = dx * dx;
        }
    }

    private static float YTerm(in OwnershipPrior prior, int y)
    {
        var dy = prior.IsKnown ? (y + 0.5f - prior.CenterY) / prior.HalfHeight : 0f;
        return dy * dy;
    }

    /// <summary>
    /// A pixel's rank for one object, for one band row: unclaimed (≤ 0) pixels rank by their logit; claimed ones above
    /// every unclaimed one, by logit minus <see cref="PriorWeight"/> times the squared distance from the predicted centre
    /// in half-sizes (<paramref name="xTerm"/> + <paramref name="yTerm"/>, capped). Each claimed pixel also adds 1 to
    /// <paramref name="claims"/>: one pass over the row for both.
    /// </summary>
    private static void Rank(ReadOnlySpan<float> row, float yTerm, ReadOnlySpan<float> xTerm, Span<float> rowScore, Span<float> claims)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
        {
            var weight = new Vector<float>(PriorWeight);
            var offset = new Vector<float>(ClaimedOffset);
            var cap = new Vector<float>(MaxPenaltyDistance);
            var yv = new Vector<float>(yTerm);
            for (; x <= row.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                var logit = new Vector<float>(row[x..]);
                var isClaimed = Vector.GreaterThan(logit, Vector<float>.Zero);
                var distance = Vector.Min(new Vector<float>(xTerm[x..]) + yv, cap);
                var claimed = logit + offset - (weight * distance);
                Vector.ConditionalSelect(isClaimed, claimed, logit).CopyTo(rowScore[x..]);
                (new Vector<float>(claims[x..]) + Vector.ConditionalSelect(isClaimed, Vector<float>.One, Vector<float>.Zero)).CopyTo(claims[x..]);
            }
        }

        for (; x < row.Length; x++)
        {
            var logit = row[x];
            rowScore[x] = logit > 0 ? logit + ClaimedOffset - (PriorWeight * MathF.Min(xTerm[x] + yTerm, MaxPenaltyDistance)) : logit;
            claims[x] += logit > 0 ? 1f : 0f;
        }
    }

    /// <summary>
    /// One object's map (or band row): where its rank holds the maximum and no earlier object took the pixel, it keeps
    /// its value and takes the pixel; elsewhere its value is clamped to <paramref name="floor"/>. With
    /// <paramref name="findContested"/>, the same pass finds whether another map claimed (<paramref name="claims"/> &gt; 1)
    /// a pixel this one claims, and returns that.
    /// </summary>
    private static bool Resolve(
        Span<float> logits, ReadOnlySpan<float> ranks, ReadOnlySpan<float> max, Span<float> free, ReadOnlySpan<float> claims, float floor, bool findContested)
    {
        var i = 0;
        var contested = false;
        if (Vector.IsHardwareAccelerated && logits.Length >= Vector<float>.Count)
        {
            var l = MemoryMarshal.Cast<float, Vector<float>>(logits);
            var r = MemoryMarshal.Cast<float, Vector<float>>(ranks);
            var m = MemoryMarshal.Cast<float, Vector<float>>(max);
            var f = MemoryMarshal.Cast<float, Vector<float>>(free);
            var c = MemoryMarshal.Cast<float, Vector<float>>(claims);
            var floors = new Vector<float>(floor);
            var one = Vector<float>.One;
            var both = Vector<int>.Zero;
            for (var v = 0; v < l.Length; v++)
            {
                var logit = l[v];
                if (findContested)
                {
                    both |= Vector.BitwiseAnd(Vector.GreaterThan(logit, Vector<float>.Zero), Vector.GreaterThan(c[v], one));
                }

                var wins = Vector.BitwiseAnd(Vector.Equals(r[v], m[v]), Vector.Equals(f[v], one));
                var kept = Vector.ConditionalSelect(wins, logit, Vector.Min(logit, floors));
                if (!Vector.EqualsAll(kept, logit))
                {
                    // Most of a loser's pixels lie below the floor already: left unwritten, their cache lines stay clean.
                    l[v] = kept;
                }

                f[v] = Vector.ConditionalSelect(wins, Vector<float>.Zero, f[v]);
            }

            contested = !Vector.EqualsAll(both, Vector<int>.Zero);
            i = l.Length * Vector<float>.Count;
        }

        for (; i < logits.Length; i++)
        {
            contested |= findContested && logits[i] > 0 && claims[i] > 1f;
            if (ranks[i] == max[i] && free[i] == 1f)
            {
                free[i] = 0f;
            }
            else
            {
                logits[i] = MathF.Min(logits[i], floor);
            }
        }

        return contested;
    }
}
