using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>The committed test set with the multimask decoder (manifest.multimask.json) and the plain scalar set, on the real ONNX Runtime.</summary>
public sealed class MultimaskModelSet : IDisposable
{
    public MultimaskModelSet()
    {
        MultimaskSet = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.multimask.json"), TestModelSet.Settings);
        OneMaskSet = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), TestModelSet.Settings);
        Multimask = MultimaskSet.CreateModel();
        OneMask = OneMaskSet.CreateModel();
    }

    public Sam2ModelSet MultimaskSet { get; }

    public Sam2ModelSet OneMaskSet { get; }

    public OnnxSam2Model Multimask { get; }

    public OnnxSam2Model OneMask { get; }

    public void Dispose()
    {
        Multimask.Dispose();
        OneMask.Dispose();
        MultimaskSet.Dispose();
        OneMaskSet.Dispose();
    }
}
