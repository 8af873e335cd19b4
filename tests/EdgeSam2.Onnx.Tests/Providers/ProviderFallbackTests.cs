using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Onnx.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Tests.Providers;

/// <summary>TensorRT and CUDA asked for on a box (and a build) without them: every graph runs on CPU, and each
/// missing provider is reported once, with ONNX Runtime's reason, not once per graph.</summary>
public sealed class ProviderFallbackTests
{
    [Fact]
    public void Load_TensorRtAndCudaOnCpuBuild_RunsEveryGraphOnCpuWithOneLinePerProvider()
    {
        var log = new CapturingLogger();
        var settings = new SessionSettings
        {
            IntraOpThreads = 1,
            Providers = [new TensorRtProviderSpec(CacheDirectory: Path.Combine(Path.GetTempPath(), "edgesam2-trt-test")), new CudaProviderSpec(), ExecutionProviderSpec.Cpu],
        };

        using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), settings, logger: log);

        Assert.All(set.Providers, p => Assert.Equal(ExecutionProvider.Cpu, p));
        Assert.Equal("image_encoder=CPU, mask_decoder=CPU, memory_attention=CPU, memory_encoder=CPU, frame_preparation=kernel", set.Provider);
        var warnings = log.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.StartsWith("Execution provider TensorRt ", warnings[0], StringComparison.Ordinal);
        Assert.StartsWith("Execution provider Cuda ", warnings[1], StringComparison.Ordinal);
        Assert.All(warnings, w => Assert.Contains("ONNX Runtime says: ", w, StringComparison.Ordinal));
        Assert.Equal(4, log.Entries.Count(e => e.Message.StartsWith("SAM 2 graph ", StringComparison.Ordinal) && e.Message.EndsWith(" runs on Cpu", StringComparison.Ordinal)));
    }

    [Fact]
    public void Load_TwoCamerasOverOneSet_ShareTheSessions()
    {
        using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1 });
        using var a = set.CreateModel();
        using var b = set.CreateModel();

        Assert.Same(set, a.Set);
        Assert.Same(set, b.Set);
        Assert.Same(a.Set.Encoder, b.Set.Encoder);
    }
}
