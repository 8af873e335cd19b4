using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>The real ONNX Runtime and the committed test model set, opened once for a test class.</summary>
public sealed class TestModelSet : IDisposable
{
    public TestModelSet()
    {
        Runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        // One thread per session: four sessions with spinning pools on a 2-core machine slow each other down (tests/EdgeSam2.Benchmarks/README.md).
        var settings = new OrtSessionSettings { IntraOpThreads = 1 };
        Scalar = OnnxSam2Model.Load(Runtime, Path.Combine(RepoPaths.TestModels, "manifest.json"), settings);
        Offsets = OnnxSam2Model.Load(Runtime, Path.Combine(RepoPaths.TestModels, "manifest.offsets.json"), settings);
    }

    public OrtRuntime Runtime { get; }

    public OnnxSam2Model Scalar { get; }

    public OnnxSam2Model Offsets { get; }

    public OnnxSam2Model Get(string form) => form == "offsets" ? Offsets : Scalar;

    public void Dispose()
    {
        Scalar.Dispose();
        Offsets.Dispose();
        Runtime.Dispose();
    }
}
