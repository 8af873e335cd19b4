using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>Host bugs the test models must expose (SAM2-CONTRACT.md, "Our small test models must make host bugs visible").</summary>
public enum MemoryMutation
{
    /// <summary>The host never updates memory after the prompt: only the conditioning entry is passed.</summary>
    Stale,

    /// <summary>Memory frames are passed in a shuffled order, out of step with their position codes.</summary>
    Shuffled,

    /// <summary>Memory features are zero.</summary>
    Empty,

    /// <summary>Recent memories carry each other's temporal codes (the order of codes reversed).</summary>
    WrongTemporalCodes,
}

/// <summary>
/// Wraps the real model and corrupts memory attention's inputs the way a buggy host would. Only the inputs are
/// touched (as copies); the real graphs run unchanged. Single-object batches only (the scene tests track one object).
/// </summary>
internal sealed class MutatingModel(ISam2Model inner, MemoryMutation mutation) : ISam2Model
{
    private readonly Random _random = new(7);

    public Sam2ModelInfo Info => inner.Info;

    public string Provider => inner.Provider;

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features) => inner.EncodeImage(image, features);

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features) => inner.DecodeMasks(batch, features);

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features) => inner.EncodeMemory(batch, features);

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        Assert.Equal(1, batch.Batch);
        // Corrupt private copies: the host's own buffers stay as the host wrote them (it may reuse them next frame).
        batch.Memory1 = batch.Memory1.ToArray();
        batch.MemoryPosEmbed = batch.MemoryPosEmbed.ToArray();
        var frameLength = Info.MemoryFeatureLength;
        var rowsLength = Info.MemoryTokens * Info.MemoryChannels;
        switch (mutation)
        {
            case MemoryMutation.Stale:
                // Keep the conditioning entry (first) and its pointer; pointer placeholder rows follow it.
                batch.Memories = 1;
                batch.Pointers = 1;
                batch.Memory0 = batch.Memory0[..Info.FeatureChannels];
                batch.Memory1 = batch.Memory1[..frameLength];
                batch.PointerOffsets = batch.PointerOffsets[..1];
                batch.MemoryPosEmbed = batch.MemoryPosEmbed[..(Info.PositionRows(1, 1) * Info.MemoryChannels)];
                batch.MemoryPosEmbed.Span[rowsLength..].Clear();
                break;
            case MemoryMutation.Empty:
                batch.Memory1.Span.Clear();
                break;
            case MemoryMutation.Shuffled:
                var frames = batch.Memory1.Span;
                for (var i = batch.Memories - 1; i > 0; i--)
                {
                    var j = _random.Next(i + 1);
                    if (i != j)
                    {
                        Swap(frames.Slice(i * frameLength, frameLength), frames.Slice(j * frameLength, frameLength));
                    }
                }

                break;
            case MemoryMutation.WrongTemporalCodes:
                var rows = batch.MemoryPosEmbed.Span;
                for (int lo = 1, hi = batch.Memories - 1; lo < hi; lo++, hi--)
                {
                    Swap(rows.Slice(lo * rowsLength, rowsLength), rows.Slice(hi * rowsLength, rowsLength));
                }

                break;
        }

        inner.AttendMemory(batch, features);
    }

    public void Dispose()
    {
        // The wrapped model belongs to the fixture.
    }

    private static void Swap(Span<float> a, Span<float> b)
    {
        Span<float> tmp = new float[a.Length];
        a.CopyTo(tmp);
        b.CopyTo(a);
        tmp.CopyTo(b);
    }
}
