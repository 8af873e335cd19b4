using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Agent.Tests.Models;

/// <summary>
/// Passes every graph call to the real model and writes down, per frame (a frame starts at its image encoder call),
/// which graph ran with which shapes: batch, prompt points, memory frames, object pointers.
/// </summary>
internal sealed class GraphCallLog(ISam2Model inner) : ISam2Model
{
    /// <summary>One line per frame: its graph calls in order, e.g. <c>encoder | attention b1 m7 p7 | decoder b1 n1 | memory b1</c>.</summary>
    public List<string> Frames { get; } = [];

    public Sam2ModelInfo Info => inner.Info;

    public string Provider => inner.Provider;

    public bool PreparesFrames => inner.PreparesFrames;

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        Frames.Add("encoder");
        inner.EncodeImage(image, features);
    }

    public void EncodeFrame(ReadOnlySpan<byte> rgb24, int width, int height, ImageFeatures features)
    {
        Frames.Add("encoder");
        inner.EncodeFrame(rgb24, width, height, features);
    }

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        Frames[^1] += $" | decoder b{batch.Batch} n{batch.Points}";
        inner.DecodeMasks(batch, features);
    }

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        Frames[^1] += $" | attention b{batch.Batch} m{batch.Memories} p{batch.Pointers}";
        inner.AttendMemory(batch, features);
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        Frames[^1] += $" | memory b{batch.Batch}";
        inner.EncodeMemory(batch, features);
    }

    public void Dispose() => inner.Dispose();
}
