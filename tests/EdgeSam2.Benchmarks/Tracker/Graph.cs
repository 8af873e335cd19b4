namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>The four SAM 2 graphs, in the order a tracking frame calls them.</summary>
internal enum Graph
{
    ImageEncoder,
    MemoryAttention,
    MaskDecoder,
    MemoryEncoder,
}
