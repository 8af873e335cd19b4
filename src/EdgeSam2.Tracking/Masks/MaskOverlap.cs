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

    // The prior path works one row of a rectangle (band) at a time: every participant's ranks for that row and the row's
    // maximum, claim count and free flags stay in the cache while each map's row is read, ranked and resolved, so a map
    // is read from memory once and nothing map-sized is filled or cleared (mask_for_mem is 512² or 1024² per participant).
    private int[] _parts = [];
    private PixelBox[] _boxes = [];
    private int[] _edges = [];
    private int[] _crossings = [];
    private int[] _slab = [];
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
    /// box. Each pixel that lies in two boxes or more is decided among the maps whose boxes hold it; every other pixel
    /// is left as it is: no other map claims it, so the masks are already apart there (SAM 2 would also lower the
    /// others' negative logits to the floor, which changes no mask). The region where boxes meet is cut into rectangles
    /// that each lie in the same boxes, so objects side by side cost the strips where their boxes meet, however far
    /// apart the pairs that meet lie (at <c>mask_for_mem</c>'s 512² or 1024², per object). <paramref name="contested"/>[k]
    /// is set to whether another map claimed any pixel map k claims (when <paramref name="contested"/> is long enough).
    /// </summary>
    public void Apply(
        Span<float> stacked, int count, int side, ReadOnlySpan<OwnershipPrior> priors, ReadOnlySpan<PixelBox> claimed, float floor, Span<bool> contested)
    {
        contested.Clear();
        if (_parts.Length < count)
        {
            _parts = new int[count];
        }

        if (_boxes.Length < count)
        {
            _boxes = new PixelBox[count];
            _edges = new int[2 * count];
            _crossings = new int[2 * count];
            _slab = new int[count];
        }

        // Horizontal slabs between consecutive box edges hold the same boxes all the way down; within a slab, so do the
        // segments between consecutive box edges across it. A segment held by two boxes or more is resolved.
        var edges = 0;
        for (var k = 0; k < count; k++)
        {
            var b = claimed[k];
            _boxes[k] = b.IsEmpty ? PixelBox.Empty : new PixelBox(Math.Max(0, b.X1), Math.Max(0, b.Y1), Math.Min(side, b.X2), Math.Min(side, b.Y2));
            if (!_boxes[k].IsEmpty)
            {
                _edges[edges++] = _boxes[k].Y1;
                _edges[edges++] = _boxes[k].Y2;
            }
        }

        var ys = Distinct(_edges.AsSpan(0, edges));
        var xs = _crossings.AsSpan();
        for (var i = 0; i + 1 < ys.Length; i++)
        {
            var (y1, y2) = (ys[i], ys[i + 1]);
            var active = 0;
            for (var k = 0; k < count; k++)
            {
                if (!_boxes[k].IsEmpty && _boxes[k].Y1 <= y1 && _boxes[k].Y2 >= y2)
                {
                    xs[2 * active] = _boxes[k].X1;
                    xs[(2 * active) + 1] = _boxes[k].X2;
                    _slab[active++] = k;
                }
            }

            if (active < 2)
            {
                continue;
            }

            var segments = Distinct(xs[..(2 * active)]);
            for (var j = 0; j + 1 < segments.Length; j++)
            {
                var (x1, x2) = (segments[j], segments[j + 1]);
                var parts = 0;
                foreach (var k in _slab.AsSpan(0, active))
                {
                    if (_boxes[k].X1 <= x1 && _boxes[k].X2 >= x2)
                    {
                        _parts[parts++] = k; // in map order: earlier maps win ties
                    }
                }

                if (parts >= 2)
                {
                    ResolveBand(stacked, [], side, priors, parts, new PixelBox(x1, y1, x2, y2), floor, contested);
                }
            }
        }
    }

    /// <summary>Sorts <paramref name="values"/> in place and returns its distinct values, in order, at its front.</summary>
    private static Span<int> Distinct(Span<int> values)
    {
        values.Sort();
        var n = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (n == 0 || values[i] != values[n - 1])
            {
                values[n++] = values[i];
            }
        }

        return values[..n];
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
