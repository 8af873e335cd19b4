namespace EdgeSam2.Onnx.Native;

/// <summary>One execution provider to try, with its settings. Build them with the static factories.</summary>
public abstract record ExecutionProviderSpec
{
    private protected ExecutionProviderSpec()
    {
    }

    /// <summary>Which provider this is.</summary>
    public abstract OrtProvider Kind { get; }

    /// <summary>ONNX Runtime's CPU provider: always available, and what every node falls back to.</summary>
    public static ExecutionProviderSpec Cpu { get; } = new CpuProviderSpec();

    /// <summary>The CUDA provider on GPU <paramref name="deviceId"/>.</summary>
    public static ExecutionProviderSpec Cuda(int deviceId = 0) => new CudaProviderSpec(deviceId);

    /// <summary>
    /// The TensorRT provider on GPU <paramref name="deviceId"/>. Engines and timing data are cached under the given
    /// folders when they are set, so only the first start on a device pays for the engine build.
    /// </summary>
    public static ExecutionProviderSpec TensorRt(
        int deviceId = 0, bool fp16 = false, string? engineCachePath = null, string? timingCachePath = null) =>
        new TensorRtProviderSpec(deviceId, fp16, engineCachePath, timingCachePath);
}

/// <summary>See <see cref="ExecutionProviderSpec.Cpu"/>.</summary>
public sealed record CpuProviderSpec : ExecutionProviderSpec
{
    public override OrtProvider Kind => OrtProvider.Cpu;
}

/// <summary>See <see cref="ExecutionProviderSpec.Cuda"/>.</summary>
/// <param name="DeviceId">CUDA device ordinal.</param>
public sealed record CudaProviderSpec(int DeviceId) : ExecutionProviderSpec
{
    public override OrtProvider Kind => OrtProvider.Cuda;
}

/// <summary>See <see cref="ExecutionProviderSpec.TensorRt"/>.</summary>
/// <param name="DeviceId">CUDA device ordinal.</param>
/// <param name="Fp16">Let TensorRT build FP16 kernels (trt_fp16_enable).</param>
/// <param name="EngineCachePath">Folder for serialized engines (trt_engine_cache_path); null disables the cache.</param>
/// <param name="TimingCachePath">Folder for the layer timing cache (trt_timing_cache_path); null disables it.</param>
public sealed record TensorRtProviderSpec(int DeviceId, bool Fp16, string? EngineCachePath, string? TimingCachePath)
    : ExecutionProviderSpec
{
    public override OrtProvider Kind => OrtProvider.TensorRt;
}
