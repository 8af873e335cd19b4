using System.Diagnostics;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// Passes every graph call to the wrapped model and records how long it took, per graph, into fixed arrays (no
/// allocation inside the frame it measures), for <c>edgesam2 models bench</c>.
/// </summary>
internal sealed class GraphTimer(ISam2Model inner, int capacity) : ISam2Model
{
    public const int Graphs = 4;

    private readonly double[][] _ms = [new double[capacity], new double[capacity], new double[capacity], new double[capacity]];
    private readonly int[] _counts = new int[Graphs];

    public bool Recording { get; set; }

    public Sam2ModelInfo Info => inner.Info;

    public string Provider => inner.Provider;

    /// <summary>Milliseconds of every recorded call of graph <paramref name="graph"/> (0 encoder … 3 memory encoder).</summary>
    public ReadOnlySpan<double> Times(int graph) => _ms[graph].AsSpan(0, _counts[graph]);

    public void Clear() => Array.Clear(_counts);

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.EncodeImage(image, features);
        Record(0, start);
    }

    public bool PreparesFrames => inner.PreparesFrames;

    /// <summary>Recorded as the image encoder's time: preparation is part of encoding a frame.</summary>
    public void EncodeFrame(ReadOnlySpan<byte> rgb24, int width, int height, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.EncodeFrame(rgb24, width, height, features);
        Record(0, start);
    }

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.DecodeMasks(batch, features);
        Record(1, start);
    }

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.AttendMemory(batch, features);
        Record(2, start);
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        var start = Stopwatch.GetTimestamp();
        inner.EncodeMemory(batch, features);
        Record(3, start);
    }

    public void Dispose() => inner.Dispose();

    private void Record(int graph, long start)
    {
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (Recording && _counts[graph] < _ms[graph].Length)
        {
            _ms[graph][_counts[graph]++] = elapsed;
        }
    }
}
