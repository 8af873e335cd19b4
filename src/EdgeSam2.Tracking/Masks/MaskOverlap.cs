using System.Numerics;
using System.Runtime.InteropServices;

namespace EdgeSam2.Tracking.Masks;

/// <summary>
/// SAM 2's <c>_apply_non_overlapping_constraints</c> on a stack of per-object logit maps [count, length]: on every
/// pixel the object with the highest logit keeps its value and every other object's logit is clamped to at most
/// <c>floor</c>, so no pixel is positive for two objects. Ties go to the first object in the stack (torch.argmax).
/// Vectorised, allocation-free: the scratch buffers grow once to the largest map seen.
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

    private float[] _max = [];
    private float[] _free = [];
    private int _length;

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

    /// <summary>Starts a constraint over maps of <paramref name="length"/> values held apart: <see cref="AddToMax"/>
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

    /// <summary>Takes one map into the per-pixel maximum.</summary>
    public void AddToMax(ReadOnlySpan<float> map) =>
        System.Numerics.Tensors.TensorPrimitives.Max(_max.AsSpan(0, _length), map[.._length], _max.AsSpan(0, _length));

    /// <summary>Resolves one map against the maximum of all (earlier maps win ties).</summary>
    public void Resolve(Span<float> map, float floor) => Resolve(map[.._length], _max.AsSpan(0, _length), _free.AsSpan(0, _length), floor);

    /// <summary>
    /// One object's map: where it holds the maximum and no earlier object took the pixel, it keeps its value and
    /// takes the pixel; elsewhere its value is clamped to <paramref name="floor"/>.
    /// </summary>
    private static void Resolve(Span<float> logits, ReadOnlySpan<float> max, Span<float> free, float floor)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && logits.Length >= Vector<float>.Count)
        {
            var l = MemoryMarshal.Cast<float, Vector<float>>(logits);
            var m = MemoryMarshal.Cast<float, Vector<float>>(max);
            var f = MemoryMarshal.Cast<float, Vector<float>>(free);
            var floors = new Vector<float>(floor);
            var one = Vector<float>.One;
            for (var v = 0; v < l.Length; v++)
            {
                var wins = Vector.BitwiseAnd(Vector.Equals(l[v], m[v]), Vector.Equals(f[v], one));
                l[v] = Vector.ConditionalSelect(wins, l[v], Vector.Min(l[v], floors));
                f[v] = Vector.ConditionalSelect(wins, Vector<float>.Zero, f[v]);
            }

            i = l.Length * Vector<float>.Count;
        }

        for (; i < logits.Length; i++)
        {
            if (logits[i] == max[i] && free[i] == 1f)
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
