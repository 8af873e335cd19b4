using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Memory;

/// <summary>
/// The shape of one object's memory on a frame: objects with equal shapes can share a call.
/// <paramref name="Memories"/> counts every conditioning entry plus the recent ones used; <paramref name="Pointers"/>
/// every conditioning pointer plus the recent ones used; <paramref name="ConditioningDistance"/> is the distance of
/// the pointer in slot 0 (the oldest conditioning frame), the scalar form's <c>cond_frame_id_diff</c>.
/// </summary>
/// <paramref name="Anchors"/>: the anchor memories among <paramref name="Memories"/> (placed after the conditioning ones).
public readonly record struct MemoryShape(int Memories, int Pointers, long ConditioningDistance, int Anchors = 0);

/// <summary>
/// Builds memory attention's inputs from an object's memory bank, following SAM 2's
/// <c>_prepare_memory_conditioned_features</c> (sam2_base.py, with <c>max_cond_frames_in_attn</c> −1):
/// <list type="bullet">
/// <item><c>memory_1</c>: every conditioning entry (oldest first), then the recent entries used (oldest first). With
/// <c>sam2Window</c> these are the tracked frames among t−1 … t−(slots−1), as in SAM 2; a conditioning frame inside
/// that window is not counted again and recent frames never give way to conditioning ones. Without it, every recent
/// entry the bank holds is used, however old (policies that skip frames keep their last good memories).</item>
/// <item>Anchor memories (DAM4SAM): the bank's anchors older than every recent entry it holds (newer ones are
/// still in the recent ring), placed after the conditioning entries; they take places from the recent frames, so a call
/// still carries at most <c>slots − 1</c> non-conditioning memories (the newest recent frames keep theirs). They are
/// dated like held recent memories: <c>temporal_code[k−1]</c>, k clamped to the oldest code. They add no pointer.</item>
/// <item><c>memory_pos_embed</c>: per memory frame, <c>maskmem_pos_enc</c> + <c>temporal_code[slots−1]</c> for a
/// conditioning entry and <c>temporal_code[k−1]</c> for an entry k frames back (k clamped to 1…slots−1); then 4·Nptr
/// zero rows that the graph overwrites with pointer codes.</item>
/// <item><c>memory_0</c>: slot 0 holds the oldest conditioning pointer; then every other pointer (newer conditioning
/// pointers and the recent ones used) by increasing frame distance. SAM 2 passes the same set (conditioning pointers
/// first); attention does not depend on the order of its keys.</item>
/// <item>Offsets form: every pointer's true frame distance (exact). Scalar form: <c>cond_frame_id_diff</c> = the
/// distance of slot 0, and the graph dates slot i as i frames back. That is exact while the other pointers' distances
/// run 1, 2, 3, … — every frame since the first prompt tracked and written, and every later conditioning frame within
/// the pointer window. A later conditioning frame older than the window is dated by its slot, i.e. too recent.</item>
/// </list>
/// </summary>
public static class MemoryAssembler
{
    /// <summary>
    /// The memory shape <paramref name="memory"/> gives on frame <paramref name="frame"/>: with
    /// <paramref name="sam2Window"/>, only the recent entries and pointers within SAM 2's windows (t−1 … t−(slots−1)
    /// and t−1 … t−(maxPointers−1)); otherwise every one the bank holds.
    /// </summary>
    public static MemoryShape ShapeOf(ObjectMemory memory, long frame, bool sam2Window = false)
    {
        var recent = memory.RecentCount;
        var pointers = memory.PointerCount;
        if (sam2Window)
        {
            recent = 0;
            while (recent < memory.RecentCount && frame - memory.Recent(memory.RecentCount - 1 - recent).Frame < memory.Slots)
            {
                recent++;
            }

            pointers = 0;
            while (pointers < memory.PointerCount && frame - PointerFrame(memory, pointers) < memory.MaxPointers)
            {
                pointers++;
            }
        }

        var anchors = AnchorsUsed(memory);
        recent = Math.Min(recent, memory.Slots - 1 - anchors);
        var conditioning = memory.ConditioningCount;
        return new(conditioning + anchors + recent, conditioning + pointers, frame - memory.OldestConditioning.Frame, anchors);
    }

    /// <summary>Anchors older than every recent entry held (the newer ones are in the recent ring already).</summary>
    private static int AnchorsUsed(ObjectMemory memory)
    {
        var oldestRecent = memory.RecentCount == 0 ? long.MaxValue : memory.Recent(0).Frame;
        var used = 0;
        while (used < memory.AnchorCount && memory.Anchor(used).Frame < oldestRecent)
        {
            used++;
        }

        return used;
    }

    /// <summary>Temporal slot of a non-conditioning entry <paramref name="distance"/> frames back.</summary>
    public static int TemporalSlot(long distance, int slots) => (int)Math.Clamp(distance, 1, slots - 1) - 1;

    /// <summary>
    /// Writes one object's <c>memory_0</c> [Nptr,C], <c>memory_1</c> [Nmem,Cm,H,W], <c>memory_pos_embed</c>
    /// [Nmem·H·W + 4·Nptr, Cm] and pointer offsets [Nptr] for frame <paramref name="frame"/>, in
    /// <paramref name="shape"/> (from <see cref="ShapeOf"/> on the same frame).
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
        var conditioning = memory.ConditioningCount;
        var before = conditioning + shape.Anchors;
        var firstRecent = memory.RecentCount - (shape.Memories - before);
        for (var i = 0; i < conditioning; i++)
        {
            memory.Conditioning(i).Features.CopyTo(memory1.Slice(i * featureLength, featureLength));
        }

        for (var i = 0; i < shape.Anchors; i++)
        {
            memory.Anchor(i).Features.CopyTo(memory1.Slice((conditioning + i) * featureLength, featureLength));
        }

        for (var i = firstRecent; i < memory.RecentCount; i++)
        {
            memory.Recent(i).Features.CopyTo(memory1.Slice((before + i - firstRecent) * featureLength, featureLength));
        }

        var signature = PositionSignature(memory, frame, shape, info, firstRecent);
        if (signature == 0 || signature != positionSignature)
        {
            WritePositions(memory, frame, shape, info, codes, posEmbed, firstRecent);
            positionSignature = signature;
        }

        // Slot 0: the oldest conditioning pointer. Then a merge by increasing distance of the newer conditioning
        // pointers (stored oldest first, so walked backwards) and the recent pointers (newest first).
        var c = info.FeatureChannels;
        var first = memory.OldestConditioning;
        first.ObjectPointer.CopyTo(memory0[..c]);
        pointerOffsets[0] = frame - first.Frame;
        var cond = conditioning - 1;
        var recent = 0;
        var recentPointers = shape.Pointers - conditioning;
        for (var p = 1; p < shape.Pointers; p++)
        {
            var recentFrame = recent < recentPointers ? PointerFrame(memory, recent) : long.MinValue;
            if (cond >= 1 && memory.Conditioning(cond).Frame > recentFrame)
            {
                var entry = memory.Conditioning(cond--);
                entry.ObjectPointer.CopyTo(memory0.Slice(p * c, c));
                pointerOffsets[p] = frame - entry.Frame;
            }
            else
            {
                memory.RecentPointer(recent++, out var pointerFrame).CopyTo(memory0.Slice(p * c, c));
                pointerOffsets[p] = frame - pointerFrame;
            }
        }
    }

    private static long PointerFrame(ObjectMemory memory, int newestFirstIndex)
    {
        memory.RecentPointer(newestFirstIndex, out var frame);
        return frame;
    }

    private static void WritePositions(
        ObjectMemory memory, long frame, MemoryShape shape, Sam2ModelInfo info, MemoryPositionCodes codes, Span<float> posEmbed, int firstRecent)
    {
        var rowsLength = info.MemoryTokens * info.MemoryChannels;
        var m = 0;
        for (var i = 0; i < memory.ConditioningCount; i++, m++)
        {
            codes.ForSlot(info.MemorySlots - 1).CopyTo(posEmbed.Slice(m * rowsLength, rowsLength));
        }

        for (var i = 0; i < shape.Anchors; i++, m++)
        {
            codes.ForSlot(TemporalSlot(frame - memory.Anchor(i).Frame, info.MemorySlots)).CopyTo(posEmbed.Slice(m * rowsLength, rowsLength));
        }

        for (var i = firstRecent; i < memory.RecentCount; i++, m++)
        {
            codes.ForSlot(TemporalSlot(frame - memory.Recent(i).Frame, info.MemorySlots)).CopyTo(posEmbed.Slice(m * rowsLength, rowsLength));
        }

        posEmbed.Slice(m * rowsLength, info.TokensPerPointer * shape.Pointers * info.MemoryChannels).Clear();
    }

    /// <summary>
    /// What the position rows encode: pointer and memory counts and every memory's temporal slot (3 bits each),
    /// with the top bit set so a real signature is never 0. 0 when it does not fit (no caching then).
    /// </summary>
    private static ulong PositionSignature(ObjectMemory memory, long frame, MemoryShape shape, Sam2ModelInfo info, int firstRecent)
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

        for (var i = 0; i < shape.Anchors; i++, m++)
        {
            signature |= (ulong)TemporalSlot(frame - memory.Anchor(i).Frame, info.MemorySlots) << (3 * m);
        }

        for (var i = firstRecent; i < memory.RecentCount; i++, m++)
        {
            signature |= (ulong)TemporalSlot(frame - memory.Recent(i).Frame, info.MemorySlots) << (3 * m);
        }

        return signature;
    }
}
