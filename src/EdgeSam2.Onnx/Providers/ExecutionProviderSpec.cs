namespace EdgeSam2.Onnx.Providers;

/// <summary>An ONNX Runtime execution provider the agent can ask for.</summary>
public enum ExecutionProvider
{
    /// <summary>ORT's CPU provider: in every build, and what every node falls back to.</summary>
    Cpu,

    /// <summary>NVIDIA CUDA (the GPU build only).</summary>
    Cuda,

    /// <summary>NVIDIA TensorRT (the GPU build only; needs TensorRT 10 on the box).</summary>
    TensorRt,
}

/// <summary>One execution provider to try, with its settings. Build them with the static factories.</summary>
public abstract record ExecutionProviderSpec
{
    private protected ExecutionProviderSpec()
    {
    }

    /// <summary>Which provider this is.</summary>
    public abstract ExecutionProvider Kind { get; }

    /// <summary>The CPU provider.</summary>
    public static ExecutionProviderSpec Cpu { get; } = new CpuProviderSpec();
}

/// <summary>See <see cref="ExecutionProvider.Cpu"/>.</summary>
public sealed record CpuProviderSpec : ExecutionProviderSpec
{
    /// <inheritdoc/>
    public override ExecutionProvider Kind => ExecutionProvider.Cpu;
}

/// <summary>The CUDA provider's settings (ORT's <c>OrtCUDAProviderOptionsV2</c> keys in brackets).</summary>
/// <param name="DeviceId">GPU ordinal [device_id].</param>
/// <param name="ArenaLimitBytes">Cap on the device arena, 0 = no cap [gpu_mem_limit].</param>
/// <param name="ConvAlgorithmSearch">cuDNN convolution algorithm search: EXHAUSTIVE, HEURISTIC or DEFAULT [cudnn_conv_algo_search].</param>
public sealed record CudaProviderSpec(int DeviceId = 0, long ArenaLimitBytes = 0, string ConvAlgorithmSearch = "EXHAUSTIVE") : ExecutionProviderSpec
{
    /// <inheritdoc/>
    public override ExecutionProvider Kind => ExecutionProvider.Cuda;

    /// <summary>The provider options as ORT's key/value pairs.</summary>
    public Dictionary<string, string> ToOrtOptions()
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["cudnn_conv_algo_search"] = ConvAlgorithmSearch,
            // The arena grows by what is asked for, not to the next power of two: SAM 2's memory banks change size.
            ["arena_extend_strategy"] = "kSameAsRequested",
        };
        if (ArenaLimitBytes > 0)
        {
            options["gpu_mem_limit"] = ArenaLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return options;
    }
}

/// <summary>The TensorRT provider's settings (ORT's TensorRT provider option keys in brackets).</summary>
/// <param name="DeviceId">GPU ordinal [device_id].</param>
/// <param name="Fp16">Build fp16 kernels [trt_fp16_enable].</param>
/// <param name="CacheDirectory">Engine and timing caches, so only the first start on a device builds engines
/// [trt_engine_cache_path, trt_timing_cache_path]; null or empty disables both caches.</param>
/// <param name="WorkspaceBytes">Most device memory a layer may use while building [trt_max_workspace_size].</param>
public sealed record TensorRtProviderSpec(int DeviceId = 0, bool Fp16 = true, string? CacheDirectory = null, long WorkspaceBytes = 2L << 30)
    : ExecutionProviderSpec
{
    /// <inheritdoc/>
    public override ExecutionProvider Kind => ExecutionProvider.TensorRt;

    /// <summary>The provider options as ORT's key/value pairs, with a graph's optimisation profile when it has one.</summary>
    public Dictionary<string, string> ToOrtOptions(TensorRtProfile? profile)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["device_id"] = DeviceId.ToString(invariant),
            ["trt_fp16_enable"] = Fp16 ? "1" : "0",
            ["trt_max_workspace_size"] = WorkspaceBytes.ToString(invariant),
        };
        if (!string.IsNullOrEmpty(CacheDirectory))
        {
            options["trt_engine_cache_enable"] = "1";
            options["trt_engine_cache_path"] = CacheDirectory;
            options["trt_timing_cache_enable"] = "1";
            options["trt_timing_cache_path"] = CacheDirectory;
        }

        if (profile is not null)
        {
            options["trt_profile_min_shapes"] = profile.Min;
            options["trt_profile_opt_shapes"] = profile.Opt;
            options["trt_profile_max_shapes"] = profile.Max;
        }

        return options;
    }
}
