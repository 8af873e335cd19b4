using EdgeSam2.Onnx.Native;
using EdgeSam2.Testing;

namespace EdgeSam2.Onnx.Tests.Support;

/// <summary>One runtime over the real ORT library, shared by a test class.</summary>
public sealed class OrtFixture : IDisposable
{
    public OrtFixture()
    {
        Runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
    }

    public OrtRuntime Runtime { get; }

    public void Dispose() => Runtime.Dispose();
}
