namespace EdgeSam2.Onnx.Native;

/// <summary>How much ONNX Runtime rewrites the graph when a session opens (<c>GraphOptimizationLevel</c>).</summary>
public enum OrtGraphOptimizationLevel
{
    Disabled = 0,
    Basic = 1,
    Extended = 2,
    All = 99,
}
