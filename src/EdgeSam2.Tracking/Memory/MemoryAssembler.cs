using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Memory;

/// <summary>The shape of one object's memory on a frame: objects with equal shapes can share a call.</summary>
public readonly record struct MemoryShape(int Memories, int Pointers, long ConditioningDistance);

/// <summary>
/// Builds memory attention's inputs from an object's memory bank, following SAM 2's
/// <c>_prepare_memory_conditioned_features</c> as far as the contract allows:
/// <list type="bullet">
/// <item><c>memory_1</c>: conditioning entries (oldest first), then recent entries (oldest first).</item>
/// <item><c>memory_pos_embed</c>: per memory frame, <c>maskmem_pos_enc</c> + <c>temporal_code[slots−1]</c> for a
/// conditioning entry and <c>temporal_code[k−1]</c> for an entry k frames back (k clamped to 1…slots−1: an entry
/// older than that, kept because absent frames were skipped, takes the oldest code); then 4·Nptr zero rows that
/// the graph overwrites with pointer codes.</item>
/// <item><c>memory_0</c>: the newest conditioning pointer, then recent pointers newest first (t−1, t−2, …).</item>
/// <item>Scalar form: <c>cond_frame_id_diff</c> = frame − newest conditioning frame. Offsets form: every pointer's
/// true frame distance.</item>
/// </list>
/// </summary>
public static class MemoryAssembler
{
    /// <summary>The memory shape <paramref name="memory"/> gives on frame <paramref name="frame"/>.</summary>
    public static MemoryShape ShapeOf(ObjectMemory memory, long frame, int maxPointers) =>
        new(memory.MemoryCount, Math.Min(1 + memory.PointerCount, maxPointers), frame - memory.NewestConditioning.Frame);

    /// <summary>Temporal slot of a non-conditioning entry <paramref name="distance"/> frames back.</summary>
    public static int TemporalSlot(long distance, int slots) => (int)Math.Clamp(distance, 1, slots - 1) - 1;

    /// <summary>
    /// Writes one object's <c>memory_0</c> [Nptr,C], <c>memory_1</c> [Nmem,Cm,H,W], <c>memory_pos_embed</c>
    /// [Nmem·H·W + 4·Nptr, Cm] and pointer offsets [Nptr] for frame <paramref name="frame"/>.
    /// </summary>
    public static void Write(
        ObjectMemory memory,
        long frame,
        MemoryShape shape,
        Sam2ModelInfo info,
        MemoryPositionCodes codes,
        Span<float> memory0,
        Span<float> memory1,
        Span<float> posEmbed,
        Span<float> pointerOffsets)
    {
        ulong none = 0;
        Write(memory, frame, shape, info, codes, memory0, memory1, posEmbed, pointerOffsets, ref none);
    }

    /// <summary>
    /// As <see cref="Write(ObjectMemory, long, MemoryShape, Sam2ModelInfo, MemoryPositionCodes, Span{float}, Span{float}, Span{float}, Span{float})"/>,
    /// but skips the position rows when <paramref name="positionSignature"/> shows that <paramref name="posEmbed"/>
    /// already holds them. In steady state every object's rows repeat frame after frame (cond, then slots 5 … 0),
    /// so this halves the copy (7 MB per object per frame at SAM 2.1 sizes). The caller keeps one signature per
    /// destination and resets it to 0 whenever that memory is written by anything else.
    /// </summary>
    public static void Write(
        ObjectMemory memory,
        long frame,
        MemoryShape shape,
        Sam2ModelInfo info,
        MemoryPositionCodes codes,
        Span<float> memory0,
        Span<float> memory1,
        Span<float> posEmbed,
        Span<float> pointerOffsets,
        ref ulong positionSignature)
    {
        var featureLength = info.MemoryFeatureLength;
        for (var i = 0; i < memory.ConditioningCount; i++)
        {
            memory.Conditioning(i).Features.CopyTo(memory1.Slice(i * featureLength, featureLength));
        }

        for (var i = 0; i < memory.RecentCount; i++)
        {
            memory.Recent(i).Features.CopyTo(memory1.Slice((memory.ConditioningCount + i) * featureLength, featureLength));
        }

        var signature = PositionSignature(memory, frame, shape, info);
        if (signature == 0 || signature != positionSignature)
        {
            WritePositions(memory, frame, shape, info, codes, posEmbed);
            positionSignature = signature;
        }

        var c = info.FeatureChannels;
        var cond = memory.NewestConditioning;
        cond.ObjectPointer.CopyTo(memory0[..c]);
        pointerOffsets[0] = frame - cond.Frame;
        for (var p = 1; p < shape.Pointers; p++)
        {
            memory.RecentPointer(p - 1, out var pointerFrame).CopyTo(memory0.Slice(p * c, c));
            pointerOffsets[p] = frame - pointerFrame;
        }
    }

    private static void WritePositions(ObjectMemory memory, long frame, MemoryShape shape, Sam2ModelInfo info, MemoryPositionCodes codes, Span<float> posEmbed)
    {
        var rowsLength = info.MemoryTokens * info.MemoryChannels;
        var m = 0;
        for (var i = 0; i < memory.ConditioningCount; i++, m++)
        {
            codes.ForSlot(info.MemorySlots - 1).CopyTo(posEmbed.Slice(m * rowsLength, rowsLength));
        }

        for (var i = 0; i < memory.RecentCount; i++, m++)
        {
            codes.ForSlot(TemporalSlot(frame - memory.Recent(i).Frame, info.MemorySlots)).CopyTo(posEmbed.Slice(m * rowsLength, rowsLength));
        }

        posEmbed.Slice(m * rowsLength, info.TokensPerPointer * shape.Pointers * info.MemoryChannels).Clear();
    }

    /// <summary>
    /// What the position rows encode: pointer and memory counts and every memory's temporal slot (3 bits each),
    /// with the top bit set so a real signature is never 0. 0 when it does not fit (no caching then).
    /// </summary>
    private static ulong PositionSignature(ObjectMemory memory, long frame, MemoryShape shape, Sam2ModelInfo info)
    {
        if (shape.Memories > 16 || shape.Pointers > 127 || info.MemorySlots > 8)
        {
            return 0;
        }

        var signature = (1UL << 63) | ((ulong)shape.Pointers << 56) | ((ulong)shape.Memories << 48);
        var m = 0;
        for (var i = 0; i < memory.ConditioningCount; i++, m++)
        {
            signature |= (ulong)(info.MemorySlots - 1) << (3 * m);
        }

        for (var i = 0; i < memory.RecentCount; i++, m++)
        {
            signature |= (ulong)TemporalSlot(frame - memory.Recent(i).Frame, info.MemorySlots) << (3 * m);
        }

        return signature;
    }
}
