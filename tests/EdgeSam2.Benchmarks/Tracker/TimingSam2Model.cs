using System.Diagnostics;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>One graph call: which graph, batch size, and its start and end timestamps (Stopwatch ticks).</summary>
internal readonly record struct GraphCall(Graph Graph, int Batch, long Start, long End);

/// <summary>
/// Passes every call to the wrapped model and logs when it started and ended. The gaps between calls are the
/// tracker's host work, so the profile can name each host step by the calls around it. Records into a fixed
/// array: timing adds no allocation to the frame it measures.
/// </summary>
internal sealed class TimingSam2Model(ISam2Model inner) : ISam2Model
{
    private readonly GraphCall[] _calls = new GraphCall[256];

    public int Count { get; private set; }

    public ReadOnlySpan<GraphCall> Calls => _calls.AsSpan(0, Count);

    public Sam2ModelInfo Info => inner.Info;

    public string Provider => inner.Provider;

    public void Reset() => Count = 0;

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.EncodeImage(image, features);
        Record(Graph.ImageEncoder, 1, start);
    }

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.DecodeMasks(batch, features);
        Record(Graph.MaskDecoder, batch.Batch, start);
    }

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.AttendMemory(batch, features);
        Record(Graph.MemoryAttention, batch.Batch, start);
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.EncodeMemory(batch, features);
        Record(Graph.MemoryEncoder, batch.Batch, start);
    }

    public void Dispose() => inner.Dispose();

    private void Record(Graph graph, int batch, long start)
    {
        var end = Stopwatch.GetTimestamp();
        if (Count < _calls.Length)
        {
            _calls[Count++] = new GraphCall(graph, batch, start, end);
        }
    }
}
