namespace EdgeSam2.Onnx.Native;

/// <summary>How a session is opened: threads, graph optimisation, and the execution providers to try.</summary>
public sealed record OrtSessionSettings
{
    /// <summary>CPU-only, ORT's default thread counts, all graph optimisations.</summary>
    public static OrtSessionSettings Default { get; } = new();

    /// <summary>Threads that split one operator's work; 0 (default) lets ORT pick (one per physical core).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads that run independent operators side by side; 0 (default) lets ORT pick.</summary>
    public int InterOpThreads { get; init; }

    /// <summary>
    /// Whether idle intra- and inter-op threads spin waiting for work (ORT's default, true). Turn it off when
    /// several sessions share few cores, as a camera's four SAM 2 graphs do: spinning pools slow each other down.
    /// </summary>
    public bool AllowThreadSpinning { get; init; } = true;

    /// <summary>Graph rewrites applied when the session opens. Default <see cref="OrtGraphOptimizationLevel.All"/>.</summary>
    public OrtGraphOptimizationLevel GraphOptimizationLevel { get; init; } = OrtGraphOptimizationLevel.All;

    /// <summary>
    /// Providers in order of preference. Each one that ORT accepts is appended (earlier ones get nodes first);
    /// one that fails is logged once with ORT's reason and skipped. A <see cref="ExecutionProviderSpec.Cpu"/> entry
    /// ends the list, and CPU always remains as the last resort. Default: CPU only.
    /// </summary>
    public IReadOnlyList<ExecutionProviderSpec> Providers { get; init; } = [ExecutionProviderSpec.Cpu];
}
