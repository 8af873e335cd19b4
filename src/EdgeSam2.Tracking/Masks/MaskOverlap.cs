using System.Numerics;
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
    private float[] _score = [];
    private float[] _claims = [];
    private float[] _xTerm = [];
    private bool[] _takesPart = [];
    private int _length;
    private int _side;
    private int _bandStart;
    private int _bandRows;
    private int _bandX0;
    private int _bandCols;

    /// <summary>Applies the constraint in place to <paramref name="count"/> maps of <paramref name="length"/> values.</summary>
    public void Apply(Span<float> stacked, int count, int length, float floor)
    {
        if (count < 2)
        {
            return;
        }

        Reset(length);
        for (var k = 0; k < count; k++)
        {
            AddToMax(stacked.Slice(k * length, length));
        }

        for (var k = 0; k < count; k++)
        {
            Resolve(stacked.Slice(k * length, length), floor);
        }
    }

    /// <summary>Starts a constraint over maps of <paramref name="length"/> values held apart: <see cref="AddToMax(ReadOnlySpan{float})"/>
    /// every map, then <see cref="Resolve(Span{float}, float)"/> every map in priority order.</summary>
    public void Reset(int length)
    {
        if (_max.Length < length)
        {
            _max = new float[length];
            _free = new float[length];
        }

        _length = length;
        _max.AsSpan(0, length).Fill(float.NegativeInfinity);
        _free.AsSpan(0, length).Fill(1f);
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
        if (_takesPart.Length < count)
        {
            _takesPart = new bool[count];
        }

        // Every pixel two maps claim lies in the overlap of their boxes: the band is the rectangle bounding those overlaps.
        var (parts, x0, y0, x1, y1) = (0, side, side, 0, 0);
        for (var k = 0; k < count; k++)
        {
            _takesPart[k] = false;
            for (var j = 0; j < count; j++)
            {
                if (j != k && Meet(claimed[k], claimed[j]))
                {
                    _takesPart[k] = true;
                    (x0, x1) = (Math.Min(x0, Math.Max(claimed[k].X1, claimed[j].X1)), Math.Max(x1, Math.Min(claimed[k].X2, claimed[j].X2)));
                    (y0, y1) = (Math.Min(y0, Math.Max(claimed[k].Y1, claimed[j].Y1)), Math.Max(y1, Math.Min(claimed[k].Y2, claimed[j].Y2)));
                }
            }

            parts += _takesPart[k] ? 1 : 0;
        }

        (x0, y0, x1, y1) = (Math.Max(0, x0), Math.Max(0, y0), Math.Min(side, x1), Math.Min(side, y1));
        if (parts < 2 || x1 <= x0 || y1 <= y0)
        {
            return;
        }

        var length = side * side;
        Reset(length, side);
        (_bandStart, _bandRows, _bandX0, _bandCols) = (y0, y1 - y0, x0, x1 - x0);
        for (var k = 0; k < count; k++)
        {
            if (_takesPart[k])
            {
                AddToMax(stacked.Slice(k * length, length), priors[k]);
            }
        }

        for (var k = 0; k < count; k++)
        {
            if (_takesPart[k])
            {
                var any = Resolve(stacked.Slice(k * length, length), priors[k], floor);
                if (k < contested.Length)
                {
                    contested[k] = any;
                }
            }
        }
    }

    /// <summary>Starts a constraint with priors over square maps of side <paramref name="side"/>.</summary>
    public void Reset(int length, int side)
    {
        if (length != side * side)
        {
            throw new ArgumentException($"a map of {length} values is not {side}×{side}.", nameof(length));
        }

        Reset(length);
        if (_score.Length < length)
        {
            _score = new float[length];
            _claims = new float[length];
        }

        _claims.AsSpan(0, length).Clear();
        (_bandStart, _bandRows, _bandX0, _bandCols) = (0, side, 0, side);

        if (_xTerm.Length < side)
        {
            _xTerm = new float[side];
        }

        _side = side;
    }

    /// <summary>Takes one map, ranked with its prior, into the per-pixel maximum (after <see cref="Reset(int, int)"/>).</summary>
    public void AddToMax(ReadOnlySpan<float> map, in OwnershipPrior prior)
    {
        var xTerm = XTerms(prior);
        var score = _score.AsSpan(0, _bandCols);
        for (var r = 0; r < _bandRows; r++)
        {
            var (at, y) = (((_bandStart + r) * _side) + _bandX0, _bandStart + r);
            var row = map.Slice(at, _bandCols);
            ScoreRow(row, YTerm(prior, y), xTerm, score);
            System.Numerics.Tensors.TensorPrimitives.Max(_max.AsSpan(at, _bandCols), score, _max.AsSpan(at, _bandCols));
            CountClaims(row, _claims.AsSpan(at, _bandCols));
        }
    }

    /// <summary>
    /// Resolves one map ranked with its prior (the same prior it was added with; earlier maps win ties). Returns true
    /// when another map claimed (logit &gt; 0) any pixel this one claimed.
    /// </summary>
    public bool Resolve(Span<float> map, in OwnershipPrior prior, float floor)
    {
        var xTerm = XTerms(prior);
        var score = _score.AsSpan(0, _bandCols);
        var contested = false;
        for (var r = 0; r < _bandRows; r++)
        {
            var (at, y) = (((_bandStart + r) * _side) + _bandX0, _bandStart + r);
            var row = map.Slice(at, _bandCols);
            ScoreRow(row, YTerm(prior, y), xTerm, score);
            contested = contested || AnyContested(row, _claims.AsSpan(at, _bandCols));
            Resolve(row, score, _max.AsSpan(at, _bandCols), _free.AsSpan(at, _bandCols), floor);
        }

        return contested;
    }

    private static bool Meet(PixelBox a, PixelBox b) =>
        !a.IsEmpty && !b.IsEmpty && a.X1 < b.X2 && b.X1 < a.X2 && a.Y1 < b.Y2 && b.Y1 < a.Y2;

    private static void CountClaims(ReadOnlySpan<float> map, Span<float> claims)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= map.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var claimed = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<float>(map[i..]), Vector<float>.Zero), Vector<float>.One, Vector<float>.Zero);
                (new Vector<float>(claims[i..]) + claimed).CopyTo(claims[i..]);
            }
        }

        for (; i < map.Length; i++)
        {
            claims[i] += map[i] > 0 ? 1f : 0f;
        }
    }

    private static bool AnyContested(ReadOnlySpan<float> map, ReadOnlySpan<float> claims)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            for (; i <= map.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var both = Vector.BitwiseAnd(Vector.GreaterThan(new Vector<float>(map[i..]), Vector<float>.Zero), Vector.GreaterThan(new Vector<float>(claims[i..]), one));
                if (!Vector.EqualsAll(both, Vector<int>.Zero))
                {
                    return true;
                }
            }
        }

        for (; i < map.Length; i++)
        {
            if (map[i] > 0 && claims[i] > 1f)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes one map into the per-pixel maximum.</summary>
    public void AddToMax(ReadOnlySpan<float> map) =>
        System.Numerics.Tensors.TensorPrimitives.Max(_max.AsSpan(0, _length), map[.._length], _max.AsSpan(0, _length));

    /// <summary>Resolves one map against the maximum of all (earlier maps win ties).</summary>
    public void Resolve(Span<float> map, float floor) => Resolve(map[.._length], map[.._length], _max.AsSpan(0, _length), _free.AsSpan(0, _length), floor);

    /// <summary>
    /// The band's squared x distances from the prior's centre in half-widths (zeros without a prior), one per band column.
    /// </summary>
    private ReadOnlySpan<float> XTerms(in OwnershipPrior prior)
    {
        var xTerm = _xTerm.AsSpan(_bandX0, _bandCols);
        if (!prior.IsKnown)
        {
            xTerm.Clear();
            return xTerm;
        }

        for (var i = 0; i < xTerm.Length; i++)
        {
            var dx = (_bandX0 + i + 0.5f - prior.CenterX) / prior.HalfWidth;
            xTerm[i] = dx * dx;
        }

        return xTerm;
    }

    private static float YTerm(in OwnershipPrior prior, int y)
    {
        var dy = prior.IsKnown ? (y + 0.5f - prior.CenterY) / prior.HalfHeight : 0f;
        return dy * dy;
    }

    /// <summary>
    /// A pixel's rank for one object, for one band row: unclaimed (≤ 0) pixels rank by their logit; claimed ones above
    /// every unclaimed one, by logit minus <see cref="PriorWeight"/> times the squared distance from the predicted centre
    /// in half-sizes (<paramref name="xTerm"/> + <paramref name="yTerm"/>, capped).
    /// </summary>
    private static void ScoreRow(ReadOnlySpan<float> row, float yTerm, ReadOnlySpan<float> xTerm, Span<float> rowScore)
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
                var distance = Vector.Min(new Vector<float>(xTerm[x..]) + yv, cap);
                var claimed = logit + offset - (weight * distance);
                Vector.ConditionalSelect(Vector.GreaterThan(logit, Vector<float>.Zero), claimed, logit).CopyTo(rowScore[x..]);
            }
        }

        for (; x < row.Length; x++)
        {
            var logit = row[x];
            rowScore[x] = logit > 0 ? logit + ClaimedOffset - (PriorWeight * MathF.Min(xTerm[x] + yTerm, MaxPenaltyDistance)) : logit;
        }
    }

    /// <summary>
    /// One object's map: where its rank holds the maximum and no earlier object took the pixel, it keeps its value and
    /// takes the pixel; elsewhere its value is clamped to <paramref name="floor"/>.
    /// </summary>
    private static void Resolve(Span<float> logits, ReadOnlySpan<float> ranks, ReadOnlySpan<float> max, Span<float> free, float floor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && logits.Length >= Vector<float>.Count)
        {
            var l = MemoryMarshal.Cast<float, Vector<float>>(logits);
            var r = MemoryMarshal.Cast<float, Vector<float>>(ranks);
            var m = MemoryMarshal.Cast<float, Vector<float>>(max);
            var f = MemoryMarshal.Cast<float, Vector<float>>(free);
            var floors = new Vector<float>(floor);
            var one = Vector<float>.One;
            for (var v = 0; v < l.Length; v++)
            {
                var wins = Vector.BitwiseAnd(Vector.Equals(r[v], m[v]), Vector.Equals(f[v], one));
                l[v] = Vector.ConditionalSelect(wins, l[v], Vector.Min(l[v], floors));
                f[v] = Vector.ConditionalSelect(wins, Vector<float>.Zero, f[v]);
            }

            i = l.Length * Vector<float>.Count;
        }

        for (; i < logits.Length; i++)
        {
            if (ranks[i] == max[i] && free[i] == 1f)
            {
                free[i] = 0f;
            }
            else
            {
                logits[i] = MathF.Min(logits[i], floor);
            }
        }
    }
}
