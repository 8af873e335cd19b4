using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Onnx.Tests.Sam2;

/// <summary>TensorRT profiles must span every shape the tracker can reach, or an engine is rebuilt mid-stream.</summary>
public sealed class Sam2ProfilesTests
{
    // SAM 2.1 at 1024 px: C 256, 64² grid, memory channels 64, 7 slots, 16 pointers.
    private static readonly Sam2ModelInfo Sam21 = new()
    {
        InputSize = 1024, FeatureChannels = 256, FeatureSize = 64, HighRes0Channels = 32, HighRes0Size = 256, HighRes1Channels = 64,
        HighRes1Size = 128, MemoryChannels = 64, LowResMaskSize = 256, MemorySlots = 7, MaxObjectPointers = 16, AttentionForm = MemoryAttentionForm.Offsets,
    };

    [Fact]
    public void For_Sam21WithTwoConditioningEntries_SpansObjectsPointsMemoriesAndPointers()
    {
        var profiles = Sam2Profiles.For(Sam21, new Sam2Limits { MaxObjects = 8, MaxPromptPoints = 18, MaxConditioningEntries = 2 });

        var decoder = profiles["mask_decoder"];
        Assert.Equal("point_coords:1x1x2,point_labels:1x1,image_embed:1x256x64x64", decoder.Min);
        Assert.Equal("point_coords:8x18x2,point_labels:8x18,image_embed:8x256x64x64", decoder.Max);

        var attention = profiles["memory_attention"];
        // memory_pos_embed rows: one frame and one pointer (4096 + 4) up to 8 frames and 17 pointers (8·4096 + 4·17).
        Assert.Equal("memory_0:1x1x256,memory_1:1x1x64x64x64,memory_pos_embed:1x4100x64,obj_ptr_offsets:1x1", attention.Min);
        Assert.Equal("memory_0:1x16x256,memory_1:1x7x64x64x64,memory_pos_embed:1x28736x64,obj_ptr_offsets:1x16", attention.Opt);
        Assert.Equal("memory_0:8x17x256,memory_1:8x8x64x64x64,memory_pos_embed:8x32836x64,obj_ptr_offsets:8x17", attention.Max);

        Assert.Equal("mask_for_mem:8x1x1024x1024,occ_logit:8x1", profiles["memory_encoder"].Max);
    }

    [Fact]
    public void For_DecoderWithMaskInput_SpansMaskPromptsOfEveryBatch()
    {
        var profiles = Sam2Profiles.For(Sam21 with { AcceptsMaskPrompts = true }, new Sam2Limits { MaxObjects = 8, MaxPromptPoints = 18 });

        Assert.EndsWith("mask_input:1x1x1024x1024,has_mask_input:1x1", profiles["mask_decoder"].Min, StringComparison.Ordinal);
        Assert.EndsWith("mask_input:8x1x1024x1024,has_mask_input:8x1", profiles["mask_decoder"].Max, StringComparison.Ordinal);
        Assert.DoesNotContain("mask_input", Sam2Profiles.For(Sam21, new Sam2Limits())["mask_decoder"].Max, StringComparison.Ordinal);
    }

    [Fact]
    public void For_ScalarForm_HasNoOffsetsEntry()
    {
        var profiles = Sam2Profiles.For(Sam21 with { AttentionForm = MemoryAttentionForm.Scalar }, new Sam2Limits());

        Assert.DoesNotContain("obj_ptr_offsets", profiles["memory_attention"].Max, StringComparison.Ordinal);
        Assert.DoesNotContain("cond_frame_id_diff", profiles["memory_attention"].Max, StringComparison.Ordinal);
    }
}
