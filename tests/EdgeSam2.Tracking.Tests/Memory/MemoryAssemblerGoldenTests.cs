using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Tests.Memory;

/// <summary>
/// Golden tests of how the host assembles memory attention's inputs for scripted histories (mostly: a prompt on
/// frame 0, tracked frames 1…20, frame 12 absent; and the fixture's "refine": prompts on frames 0 and 8). Every expected value below is written out by hand from SAM 2's rules
/// (sam2_base.py, _prepare_memory_conditioned_features), not produced by the code under test.
/// Markers: a memory frame's features are all equal to its frame number; its pointer is all frame + 0.5; the
/// position encoding is 0 and temporal code s is s + 1 in every channel, so each position row reads "slot + 1".
/// </summary>
public sealed class MemoryAssemblerGoldenTests
{
    private static readonly Sam2ModelInfo Info = TinyModelInfo.Create();

    /// <summary>
    /// Anchors from frames 3 and 9, then 20 frames written: the anchors sit after the conditioning entry, dated with the
    /// oldest code, and take the places of the two oldest recent frames; they add no pointer.
    /// </summary>
    [Fact]
    public void Write_TwoAnchorsOlderThanTheRing_TakeTheOldestRecentPlacesWithTheOldestCode()
    {
        var memory = new ObjectMemory(Info.MemorySlots, Info.MaxObjectPointers, 2, Info.MemoryFeatureLength, Info.FeatureChannels, maxAnchors: 2);
        memory.AddConditioning(0, Marker(Info.MemoryFeatureLength, 0), Marker(Info.FeatureChannels, 0.5f));
        for (var f = 1; f <= 20; f++)
        {
            memory.AddRecent(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
            if (f is 3 or 9)
            {
                memory.AddAnchor(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
            }
        }

        var tensors = Assemble(memory, 21, sam2Window: true);

        Assert.Equal(new MemoryShape(7, 16, 21, 2), tensors.Shape);
        Assert.Equal([0, 3, 9, 17, 18, 19, 20], tensors.FrameMarkers);
        Assert.Equal([7, 6, 6, 4, 3, 2, 1], tensors.SlotMarkers);
        Assert.Equal([0, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6], tensors.PointerMarkers);
    }

    [Fact]
    public void Write_Frame21AfterAbsentFrame12_MatchesSam2Layout()
    {
        var memory = ScriptedHistory(MemoryWritePolicy.QualityGated);
        var tensors = Assemble(memory, 21);

        Assert.Equal(new MemoryShape(7, 16, 21), tensors.Shape);
        // memory_1: conditioning frame 0, then the six newest stored frames, oldest first (12 was absent, so 15…20).
        Assert.Equal([0, 15, 16, 17, 18, 19, 20], tensors.FrameMarkers);
        // memory_pos_embed: cond → temporal_code[6]; frame 21−k → temporal_code[k−1].
        Assert.Equal([7, 6, 5, 4, 3, 2, 1], tensors.SlotMarkers);
        Assert.True(tensors.PointerRowsAreZero, "the 4·Nptr pointer rows are placeholders the graph overwrites: zeros");
        // memory_0: cond pointer, then the 15 newest stored frames newest first (12 is skipped: absent).
        Assert.Equal([0, 20, 19, 18, 17, 16, 15, 14, 13, 11, 10, 9, 8, 7, 6, 5], tensors.PointerMarkers);
        // Offsets form: each pointer's true frame distance.
        Assert.Equal([21, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16], tensors.Offsets);
    }

    [Fact]
    public void Write_Frame13RightAfterAbsentFrame_ClampsOlderEntriesToOldestCode()
    {
        var memory = ScriptedHistory(MemoryWritePolicy.QualityGated, lastFrame: 11);
        var tensors = Assemble(memory, 13);

        Assert.Equal(new MemoryShape(7, 12, 13), tensors.Shape);
        Assert.Equal([0, 6, 7, 8, 9, 10, 11], tensors.FrameMarkers);
        // Frames 6 and 7 are 7 and 6 frames back: both beyond t−6's code, both get the oldest, temporal_code[5].
        Assert.Equal([7, 6, 6, 5, 4, 3, 2], tensors.SlotMarkers);
        Assert.Equal([0, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], tensors.PointerMarkers);
        Assert.Equal([13, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], tensors.Offsets);
    }

    [Fact]
    public void Write_ReferencePolicy_AbsentFrameIsStoredLikeSam2()
    {
        var memory = ScriptedHistory(MemoryWritePolicy.Reference, lastFrame: 12);
        var tensors = Assemble(memory, 13, sam2Window: true);

        Assert.Equal([0, 7, 8, 9, 10, 11, 12], tensors.FrameMarkers);
        Assert.Equal([7, 6, 5, 4, 3, 2, 1], tensors.SlotMarkers);
        Assert.Equal([0, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], tensors.PointerMarkers);
    }

    [Fact]
    public void Write_CorrectionInsideRecentWindow_AttendsBothConditioningFramesPlusRecentNotCountedTwice()
    {
        // The fixture's "refine": prompts on frames 0 and 8, every other frame tracked and written (Reference).
        var memory = ScriptedHistory(MemoryWritePolicy.Reference, lastFrame: 7);
        memory.AddConditioning(8, Marker(Info.MemoryFeatureLength, 8), Marker(Info.FeatureChannels, 8.5f));
        for (var f = 9; f <= 11; f++)
        {
            memory.AddRecent(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
        }

        var tensors = Assemble(memory, 12, sam2Window: true);

        // Both conditioning frames, then the non-conditioning frames among t−1 … t−6 = 11 … 6: frame 8 is not counted
        // again and frame 5 (held, 7 back) is outside SAM 2's window. 7 memories, not 7 slots shared.
        Assert.Equal(new MemoryShape(7, 12, 12), tensors.Shape);
        Assert.Equal([0, 8, 6, 7, 9, 10, 11], tensors.FrameMarkers);
        // Conditioning frames → temporal_code[6]; frame 12−k → temporal_code[k−1].
        Assert.Equal([7, 7, 6, 5, 3, 2, 1], tensors.SlotMarkers);
        // Every conditioning pointer (0 in slot 0, 8 at its distance 4), then t−1 … t−15's tracked frames.
        Assert.Equal([0, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1], tensors.PointerMarkers);
        // Distances run 1, 2, 3, … after slot 0: the scalar form's dating is exact here.
        Assert.Equal([12, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], tensors.Offsets);
    }

    [Fact]
    public void Write_Sam2Window_LeavesOutPointersOlderThanFifteenFrames()
    {
        var memory = ScriptedHistory(MemoryWritePolicy.Reference, lastFrame: 19);
        memory.AddConditioning(20, Marker(Info.MemoryFeatureLength, 20), Marker(Info.FeatureChannels, 20.5f));
        for (var f = 21; f <= 30; f++)
        {
            memory.AddRecent(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
        }

        var tensors = Assemble(memory, 31, sam2Window: true);

        // The pointer ring holds 15 … 19, 21 … 30; frame 15 is 16 back, beyond t−15: SAM 2 does not pass it.
        Assert.Equal(new MemoryShape(8, 16, 31), tensors.Shape);
        Assert.Equal([0, 20, 25, 26, 27, 28, 29, 30], tensors.FrameMarkers);
        Assert.Equal([7, 7, 6, 5, 4, 3, 2, 1], tensors.SlotMarkers);
        Assert.Equal([0, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16], tensors.PointerMarkers);
        Assert.Equal([31, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], tensors.Offsets);
    }

    [Fact]
    public void Write_LaterConditioningFrameOlderThanPointerWindow_GoesLastWithItsTrueOffset()
    {
        // Prompts on frames 0 and 2, every other frame written: on frame 31 the frame-2 pointer is 29 back.
        var memory = ScriptedHistory(MemoryWritePolicy.Reference, lastFrame: 1);
        memory.AddConditioning(2, Marker(Info.MemoryFeatureLength, 2), Marker(Info.FeatureChannels, 2.5f));
        for (var f = 3; f <= 30; f++)
        {
            memory.AddRecent(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
        }

        var tensors = Assemble(memory, 31, sam2Window: true);

        Assert.Equal(new MemoryShape(8, 17, 31), tensors.Shape);
        Assert.Equal([0, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 2], tensors.PointerMarkers);
        // Offsets form: exact. The scalar form dates slot 16 as 16 frames back, not 29: the documented approximation.
        Assert.Equal([31, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 29], tensors.Offsets);
    }

    [Fact]
    public void Write_TwoConditioningEntriesWithoutWindow_KeepSixRecentAndPlaceTheNewerPointerByDistance()
    {
        // Quality-gated history (frame 12 absent, skipped) with a second prompt on frame 10.
        var memory = new ObjectMemory(Info.MemorySlots, Info.MaxObjectPointers, 2, Info.MemoryFeatureLength, Info.FeatureChannels);
        memory.AddConditioning(0, Marker(Info.MemoryFeatureLength, 0), Marker(Info.FeatureChannels, 0.5f));
        for (var f = 1; f <= 20; f++)
        {
            if (f == 10)
            {
                memory.AddConditioning(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
            }
            else if (f != 12)
            {
                memory.AddRecent(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
            }
        }

        var tensors = Assemble(memory, 21);

        // Conditioning entries do not take recent places: 2 + 6 memories.
        Assert.Equal(new MemoryShape(8, 17, 21), tensors.Shape);
        Assert.Equal([0, 10, 15, 16, 17, 18, 19, 20], tensors.FrameMarkers);
        Assert.Equal([7, 7, 6, 5, 4, 3, 2, 1], tensors.SlotMarkers);
        // The 15 held recent pointers (4 … 9, 11, 13 … 20) and the frame-10 pointer, by distance.
        Assert.Equal([0, 20, 19, 18, 17, 16, 15, 14, 13, 11, 10, 9, 8, 7, 6, 5, 4], tensors.PointerMarkers);
        Assert.Equal([21, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17], tensors.Offsets);
    }

    [Fact]
    public void Write_WithSignature_SkipsUnchangedPositionRowsAndRewritesChangedOnes()
    {
        var memory = ScriptedHistory(MemoryWritePolicy.QualityGated, lastFrame: 20);
        var codes = SlotMarkerCodes();
        var shape = MemoryAssembler.ShapeOf(memory, 21);
        var memory0 = new float[shape.Pointers * Info.FeatureChannels];
        var memory1 = new float[shape.Memories * Info.MemoryFeatureLength];
        var pos = new float[Info.PositionRows(shape.Memories, shape.Pointers) * Info.MemoryChannels];
        var offsets = new float[shape.Pointers];
        ulong signature = 0;

        MemoryAssembler.Write(memory, 21, shape, Info, codes, memory0, memory1, pos, offsets, ref signature);
        var written = pos.ToArray();
        Array.Fill(pos, 99f);
        Array.Fill(memory1, 99f);

        // Frame 22 after writing frame 21: same layout (cond, then slots 5 … 0), so the rows are not rewritten…
        memory.AddRecent(21, Marker(Info.MemoryFeatureLength, 21), Marker(Info.FeatureChannels, 21.5f));
        MemoryAssembler.Write(memory, 22, shape, Info, codes, memory0, memory1, pos, offsets, ref signature);
        Assert.All(pos, v => Assert.Equal(99f, v));
        Assert.Equal(16f, memory1[Info.MemoryFeatureLength]); // …while the features always are (oldest recent is now 16)

        // Frame 24 after a gap: the slots change (distances 3 … 8), so the rows are rewritten.
        MemoryAssembler.Write(memory, 24, shape, Info, codes, memory0, memory1, pos, offsets, ref signature);
        Assert.Equal(7f, pos[0]);
        Assert.Equal(6f, pos[Info.MemoryTokens * Info.MemoryChannels]);   // frame 16, 8 back: oldest code
        Assert.Equal(3f, pos[6 * Info.MemoryTokens * Info.MemoryChannels]); // frame 21, 3 back: temporal_code[2]
        Assert.NotEqual(written, pos);
    }

    /// <summary>Prompt on frame 0, then frames 1…lastFrame; frame 12 is absent (skipped unless the policy is Reference).</summary>
    private static ObjectMemory ScriptedHistory(MemoryWritePolicy policy, int lastFrame = 20)
    {
        var memory = new ObjectMemory(Info.MemorySlots, Info.MaxObjectPointers, 2, Info.MemoryFeatureLength, Info.FeatureChannels);
        memory.AddConditioning(0, Marker(Info.MemoryFeatureLength, 0), Marker(Info.FeatureChannels, 0.5f));
        for (var f = 1; f <= lastFrame; f++)
        {
            if (f != 12 || policy == MemoryWritePolicy.Reference)
            {
                memory.AddRecent(f, Marker(Info.MemoryFeatureLength, f), Marker(Info.FeatureChannels, f + 0.5f));
            }
        }

        return memory;
    }

    private static float[] Marker(int length, float value) => Enumerable.Repeat(value, length).ToArray();

    private static MemoryPositionCodes SlotMarkerCodes()
    {
        var temporal = new float[Info.MemorySlots * Info.MemoryChannels];
        for (var s = 0; s < Info.MemorySlots; s++)
        {
            temporal.AsSpan(s * Info.MemoryChannels, Info.MemoryChannels).Fill(s + 1);
        }

        return new MemoryPositionCodes(new float[Info.MemoryTokens * Info.MemoryChannels], temporal, Info.MemorySlots);
    }

    private static Assembled Assemble(ObjectMemory memory, long frame, bool sam2Window = false)
    {
        var codes = SlotMarkerCodes();
        var shape = MemoryAssembler.ShapeOf(memory, frame, sam2Window);
        var memory0 = new float[shape.Pointers * Info.FeatureChannels];
        var memory1 = new float[shape.Memories * Info.MemoryFeatureLength];
        var pos = Enumerable.Repeat(-1f, Info.PositionRows(shape.Memories, shape.Pointers) * Info.MemoryChannels).ToArray();
        var offsets = new float[shape.Pointers];
        MemoryAssembler.Write(memory, frame, shape, Info, codes, memory0, memory1, pos, offsets);

        var rows = Info.MemoryTokens * Info.MemoryChannels;
        return new Assembled(
            shape,
            FirstOfEach(memory1, Info.MemoryFeatureLength, uniform: true),
            FirstOfEach(pos.AsSpan(0, shape.Memories * rows).ToArray(), rows, uniform: true),
            Array.TrueForAll(pos[(shape.Memories * rows)..], v => v == 0),
            FirstOfEach(memory0, Info.FeatureChannels, uniform: true).Select(v => MathF.Floor(v)).ToArray(),
            offsets);
    }

    /// <summary>The value of each block, checking that the whole block carries it.</summary>
    private static float[] FirstOfEach(float[] data, int blockLength, bool uniform)
    {
        var values = new float[data.Length / blockLength];
        for (var b = 0; b < values.Length; b++)
        {
            var block = data.AsSpan(b * blockLength, blockLength);
            values[b] = block[0];
            if (uniform)
            {
                Assert.True(block.IndexOfAnyExcept(block[0]) < 0, $"block {b} is not uniform");
            }
        }

        return values;
    }

    private sealed record Assembled(MemoryShape Shape, float[] FrameMarkers, float[] SlotMarkers, bool PointerRowsAreZero, float[] PointerMarkers, float[] Offsets);
}
