using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>The committed test model set on the real ONNX Runtime, loaded once for a test class, in both forms.</summary>
public sealed class TestModelSet : IDisposable
{
    // One thread per session: four sessions with spinning pools on a 2-core machine slow each other down (tests/EdgeSam2.Benchmarks/README.md).
    public static readonly SessionSettings Settings = new() { IntraOpThreads = 1 };

    public TestModelSet()
    {
        ScalarSet = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), Settings);
        OffsetsSet = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.offsets.json"), Settings);
        Scalar = ScalarSet.CreateModel();
        Offsets = OffsetsSet.CreateModel();
    }

    public Sam2ModelSet ScalarSet { get; }

    public Sam2ModelSet OffsetsSet { get; }

    public OnnxSam2Model Scalar { get; }

    public OnnxSam2Model Offsets { get; }

    public OnnxSam2Model Get(string form) => form == "offsets" ? Offsets : Scalar;

    public void Dispose()
    {
        Scalar.Dispose();
        Offsets.Dispose();
        ScalarSet.Dispose();
        OffsetsSet.Dispose();
    }
}
