using EdgeSam2.Onnx.Providers;
using EdgeSam2.Tracking.Sam2;
using static EdgeSam2.Onnx.Sam2.Sam2Graphs;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// TensorRT optimisation profiles for the four graphs: every dynamic axis spans what the tracker can ask for —
/// objects 1..MaxObjects, prompt points 1..MaxPromptPoints, memory frames and pointers up to what the kept conditioning entries allow,
/// and <c>memory_pos_embed</c> rows from one frame and one pointer to the largest memory. The optimum is the common
/// steady state: one object with a full memory. TensorRT wants entries for exactly the inputs it sees as dynamic:
/// <c>keep</c> (module, input) filters them, and a module left with none gets no profile.
/// </summary>
internal static class Sam2Profiles
{
    public static Dictionary<string, TensorRtProfile> For(Sam2ModelInfo info, Sam2Limits limits, Func<string, string, bool>? keep = null)
    {
        var b = limits.MaxObjects;
        var extraConditioning = Math.Max(limits.MaxConditioningEntries, 1) - 1;
        var mem = info.MemorySlots + extraConditioning;
        var ptr = info.MaxObjectPointers + extraConditioning;
        var optMem = Math.Min(info.MemorySlots, mem);
        var optPtr = Math.Min(info.MaxObjectPointers, ptr);
        var (c, h, cm, s) = (info.FeatureChannels, info.FeatureSize, info.MemoryChannels, info.InputSize);

        var table = new Dictionary<string, List<(string Name, long[] Min, long[] Opt, long[] Max)>>(StringComparer.Ordinal)
        {
            [ImageEncoder] = [(Image, [1, 3, s, s], [1, 3, s, s], [1, 3, s, s])],
            [MaskDecoder] =
            [
                (PointCoords, [1, 1, 2], [1, 2, 2], [b, limits.MaxPromptPoints, 2]),
                (PointLabels, [1, 1], [1, 2], [b, limits.MaxPromptPoints]),
                (ImageEmbed, [1, c, h, h], [1, c, h, h], [b, c, h, h]),
                .. info.AcceptsMaskPrompts
                    ? [(MaskInput, [1L, 1, s, s], [1L, 1, s, s], [b, 1, s, s]), (HasMaskInput, [1L, 1], [1L, 1], [b, 1])]
                    : Array.Empty<(string, long[], long[], long[])>(),
            ],
            [MemoryAttention] =
            [
                (Memory0, [1, 1, c], [1, optPtr, c], [b, ptr, c]),
                (Memory1, [1, 1, cm, h, h], [1, optMem, cm, h, h], [b, mem, cm, h, h]),
                (MemoryPosEmbed, [1, info.PositionRows(1, 1), cm], [1, info.PositionRows(optMem, optPtr), cm], [b, info.PositionRows(mem, ptr), cm]),
                .. info.AttentionForm == MemoryAttentionForm.Offsets ? [(ObjPtrOffsets, [1L, 1], [1L, optPtr], [b, ptr])] : Array.Empty<(string, long[], long[], long[])>(),
            ],
            [MemoryEncoder] =
            [
                (MaskForMem, [1, 1, s, s], [1, 1, s, s], [b, 1, s, s]),
                (OccLogit, [1, 1], [1, 1], [b, 1]),
            ],
        };

        var profiles = new Dictionary<string, TensorRtProfile>(StringComparer.Ordinal);
        foreach (var (module, inputs) in table)
        {
            var kept = keep is null ? inputs : inputs.FindAll(input => keep(module, input.Name));
            if (kept.Count > 0)
            {
                profiles[module] = TensorRtProfile.From(kept);
            }
        }

        return profiles;
    }
}
