using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Tracking.Tests;

/// <summary>A tiny model geometry for pure-logic tests: SAM 2's ratios (stride 16, 4 tokens per pointer, 7 slots) at toy sizes.</summary>
internal static class TinyModelInfo
{
    public static Sam2ModelInfo Create(MemoryAttentionForm form = MemoryAttentionForm.Scalar) => new()
    {
        InputSize = 32,
        FeatureChannels = 8,
        FeatureSize = 2,
        HighRes0Channels = 1,
        HighRes0Size = 8,
        HighRes1Channels = 1,
        HighRes1Size = 4,
        MemoryChannels = 2,
        LowResMaskSize = 8,
        MemorySlots = 7,
        MaxObjectPointers = 16,
        AttentionForm = form,
    };
}
