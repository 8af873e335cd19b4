using Microsoft.ML.OnnxRuntime.Tensors;
using EdgeSam2.Tracking.Sam2;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// Checks four opened graphs against the contract (names, ranks, float32) and reads the model's sizes from their
/// shapes. Every problem is collected, so a wrong export is diagnosed in one start, not one error per restart.
/// </summary>
internal static class Sam2ContractCheck
{
    public static Sam2ModelInfo ReadInfo(Sam2Manifest manifest, GraphSignature encoder, GraphSignature decoder, GraphSignature attention, GraphSignature memoryEncoder)
    {
        var errors = new List<string>();
        var offsets = manifest.AttentionForm == MemoryAttentionForm.Offsets;

        Expect(errors, encoder, ImageEncoder, inputs: [(Image, 4)],
            outputs: [(PixFeat, 4), (HighResFeat0, 4), (HighResFeat1, 4), (VisionFeats, 4), (VisionPosEmbed, 3)]);
        // The multimask variant is recognised by its candidates output; it returns every candidate and leaves
        // mask_for_mem to the host, which computes it from the chosen one (SAM2-CONTRACT.md, "One mask out").
        var multimask = Find(decoder.Outputs, LowResMultimasks) is not null;
        Expect(errors, decoder, MaskDecoder,
            inputs: [(PointCoords, 3), (PointLabels, 2), (ImageEmbed, 4), (HighResFeats0, 4), (HighResFeats1, 4)],
            outputs: multimask
                ? [(ObjPtrs, 3), (LowResMultimasks, 4), (Ious, 2), (OccLogit, 2)]
                : [(ObjPtr, 2), (MaskForMem, 4), (PredMask, 4), (Iou, 2), (OccLogit, 2)]);
        Expect(errors, attention, MemoryAttention,
            inputs: [(CurrentVisionFeat, 4), (CurrentVisionPosEmbed, 3), (Memory0, 3), (Memory1, 5), (MemoryPosEmbed, 3), offsets ? (ObjPtrOffsets, 2) : (CondFrameIdDiff, 0)],
            outputs: [(ImageEmbed, 4)]);
        Expect(errors, memoryEncoder, MemoryEncoder, inputs: [(MaskForMem, 4), (PixFeat, 4), (OccLogit, 2)],
            outputs: [(MaskmemFeatures, 4), (MaskmemPosEnc, 3), (TemporalCode, 4)]);
        var masks = MaskPromptInputs(errors, decoder);
        if (errors.Count > 0)
        {
            throw Fail(manifest, errors);
        }

        var image = Shape(encoder.Outputs, PixFeat);
        var inputSize = Dim(errors, encoder.Inputs, Image, 3, manifest.InputSize);
        var hr0 = Shape(encoder.Outputs, HighResFeat0);
        var hr1 = Shape(encoder.Outputs, HighResFeat1);
        var info = new Sam2ModelInfo
        {
            InputSize = inputSize,
            FeatureChannels = Known(errors, image[1], "image_encoder pix_feat channels"),
            FeatureSize = Known(errors, image[2], "image_encoder pix_feat height"),
            HighRes0Channels = Known(errors, hr0[1], "image_encoder high_res_feat0 channels"),
            HighRes0Size = Known(errors, hr0[2], "image_encoder high_res_feat0 height"),
            HighRes1Channels = Known(errors, hr1[1], "image_encoder high_res_feat1 channels"),
            HighRes1Size = Known(errors, hr1[2], "image_encoder high_res_feat1 height"),
            MemoryChannels = Dim(errors, memoryEncoder.Outputs, MaskmemFeatures, 1, 0),
            LowResMaskSize = Dim(errors, decoder.Outputs, multimask ? LowResMultimasks : PredMask, 2, 0),
            DecoderCandidates = multimask ? Known(errors, Shape(decoder.Outputs, LowResMultimasks)[1], "mask_decoder low_res_multimasks candidates") : 1,
            MemorySlots = Dim(errors, memoryEncoder.Outputs, TemporalCode, 0, manifest.MemorySlots),
            MaxObjectPointers = manifest.MaxObjectPointers,
            AttentionForm = manifest.AttentionForm,
            AcceptsMaskPrompts = masks,
        };

        if (errors.Count == 0)
        {
            if (image[2] != image[3] || info.FeatureSize * 16 != info.InputSize)
            {
                errors.Add($"pix_feat {GraphTensor.Format(image)} is not the square stride-16 grid of a {info.InputSize}-px input");
            }

            if (info.FeatureChannels % info.MemoryChannels != 0 || info.TokensPerPointer != manifest.TokensPerPointer)
            {
                errors.Add($"feature channels {info.FeatureChannels} / memory channels {info.MemoryChannels} must equal the manifest's tokens_per_pointer {manifest.TokensPerPointer}");
            }

            if (info.MemorySlots != manifest.MemorySlots)
            {
                errors.Add($"temporal_code has {info.MemorySlots} slots; the manifest says memory_slots {manifest.MemorySlots}");
            }

            if (multimask && (Shape(decoder.Outputs, Ious)[1] is var k and > 0) && k != info.DecoderCandidates)
            {
                errors.Add($"mask_decoder ious has {k} candidates; low_res_multimasks has {info.DecoderCandidates}");
            }

            if (info.LowResMaskSize * 4 != info.InputSize)
            {
                errors.Add($"pred_mask side {info.LowResMaskSize} is not a quarter of the input size {info.InputSize}");
            }

            var mask = masks ? Shape(decoder.Inputs, MaskInput) : [];
            if (masks && ((mask[2] > 0 && mask[2] != info.InputSize) || (mask[3] > 0 && mask[3] != info.InputSize)))
            {
                errors.Add($"mask_decoder mask_input is {GraphTensor.Format(mask)}; a mask prompt is [B,1,{info.InputSize},{info.InputSize}] (the input size)");
            }
        }

        return errors.Count == 0 ? info : throw Fail(manifest, errors);
    }

    /// <summary>
    /// The decoder's optional mask-prompt inputs: both or neither. A set without them loads, and mask prompts are then
    /// refused (SAM2-CONTRACT.md, "Mask prompts").
    /// </summary>
    private static bool MaskPromptInputs(List<string> errors, GraphSignature decoder)
    {
        var (mask, has) = (Find(decoder.Inputs, MaskInput), Find(decoder.Inputs, HasMaskInput));
        if (mask is null && has is null)
        {
            return false;
        }

        if (mask is null || has is null)
        {
            errors.Add($"{MaskDecoder} ('{decoder.Path}'): has '{(mask ?? has)!.Name}' but not '{(mask is null ? MaskInput : HasMaskInput)}'; a mask prompt needs both");
            return false;
        }

        Expect(errors, decoder, MaskDecoder, inputs: [(MaskInput, 4), (HasMaskInput, 2)], outputs: []);
        return true;
    }

    private static void Expect(List<string> errors, GraphSignature session, string module, (string Name, int Rank)[] inputs, (string Name, int Rank)[] outputs)
    {
        Check(errors, session.Inputs, $"{module} ('{session.Path}')", "input", inputs);
        Check(errors, session.Outputs, $"{module} ('{session.Path}')", "output", outputs);
    }

    private static void Check(List<string> errors, IReadOnlyList<GraphTensor> nodes, string module, string kind, (string Name, int Rank)[] expected)
    {
        foreach (var (name, rank) in expected)
        {
            var node = Find(nodes, name);
            if (node is null)
            {
                var present = new List<string>();
                foreach (var n in nodes)
                {
                    present.Add(n.Name);
                }

                errors.Add($"{module}: no {kind} '{name}' (it has: {string.Join(", ", present)})");
            }
            else if (node.Shape.Length != rank || node.ElementType != TensorElementType.Float)
            {
                errors.Add($"{module}: {kind} '{name}' is {GraphTensor.TypeName(node.ElementType)} {GraphTensor.Format(node.Shape)}; the contract needs float32 of rank {rank}");
            }
        }
    }

    private static GraphTensor? Find(IReadOnlyList<GraphTensor> nodes, string name)
    {
        foreach (var node in nodes)
        {
            if (node.Name == name)
            {
                return node;
            }
        }

        return null;
    }

    private static long[] Shape(IReadOnlyList<GraphTensor> nodes, string name) => Find(nodes, name)!.Shape;

    private static int Dim(List<string> errors, IReadOnlyList<GraphTensor> nodes, string name, int axis, int fallback)
    {
        var value = Shape(nodes, name)[axis];
        return value > 0 ? (int)value : fallback > 0 ? fallback : Known(errors, value, $"{name} dimension {axis}");
    }

    private static int Known(List<string> errors, long value, string what)
    {
        if (value > 0)
        {
            return (int)value;
        }

        errors.Add($"{what} is symbolic in the graph; export it with a fixed size");
        return 1;
    }

    private static Sam2ModelException Fail(Sam2Manifest manifest, List<string> errors) =>
        new($"model set '{manifest.Name}' does not fit the SAM 2 contract:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
}
