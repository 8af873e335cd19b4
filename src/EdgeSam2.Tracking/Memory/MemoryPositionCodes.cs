namespace EdgeSam2.Tracking.Memory;

/// <summary>
/// <c>maskmem_pos_enc</c> + <c>temporal_code[s]</c> for every slot s, computed once: both are constant across
/// frames (SAM2-CONTRACT.md), so assembling <c>memory_pos_embed</c> is a copy per memory frame, not an add.
/// </summary>
public sealed class MemoryPositionCodes
{
    private readonly float[][] _bySlot;

    /// <summary>Combines one frame's position encoding [H·W, Cm] with the temporal codes [slots, Cm].</summary>
    public MemoryPositionCodes(ReadOnlySpan<float> positionEncoding, ReadOnlySpan<float> temporalCodes, int slots)
    {
        var channels = temporalCodes.Length / slots;
        if (channels * slots != temporalCodes.Length || positionEncoding.Length % channels != 0)
        {
            throw new ArgumentException(
                $"temporal_code has {temporalCodes.Length} values for {slots} slots and maskmem_pos_enc {positionEncoding.Length}: they do not share a channel count.");
        }

        _bySlot = new float[slots][];
        for (var s = 0; s < slots; s++)
        {
            var code = temporalCodes.Slice(s * channels, channels);
            var combined = new float[positionEncoding.Length];
            for (var row = 0; row < positionEncoding.Length; row += channels)
            {
                System.Numerics.Tensors.TensorPrimitives.Add(
                    positionEncoding.Slice(row, channels), code, combined.AsSpan(row, channels));
            }

            _bySlot[s] = combined;
        }
    }

    /// <summary>Number of temporal slots.</summary>
    public int Slots => _bySlot.Length;

    /// <summary>The position rows of one memory frame in temporal slot <paramref name="slot"/>.</summary>
    public ReadOnlySpan<float> ForSlot(int slot) => _bySlot[slot];
}
