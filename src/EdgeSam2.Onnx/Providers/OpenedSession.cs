using Microsoft.ML.OnnxRuntime;

namespace EdgeSam2.Onnx.Providers;

/// <summary>A session and the provider it was opened with (the one that gets the graph's nodes first).</summary>
/// <param name="Session">The ORT session; the owner disposes it.</param>
/// <param name="Provider">The provider that took the graph.</param>
public sealed record OpenedSession(InferenceSession Session, ExecutionProvider Provider);
