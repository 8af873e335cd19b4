using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace EdgeSam2.Onnx.Tests.Native;

/// <summary>
/// The library under test lists CUDA and TensorRT as compiled in but has no provider libraries next to it, so ORT
/// refuses both when they are appended: exactly the situation of a GPU config on a CPU-only machine.
/// </summary>
public sealed class ExecutionProviderFallbackTests(ITestOutputHelper output)
{
    private const int ProviderUnavailableEvent = 1;

    [Fact]
    public void OpenSession_CudaOnCpuOnlyMachine_FallsBackToCpuLogsOrtsReasonAndRuns()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var logger = new CapturingLogger();
        var settings = new OrtSessionSettings { Providers = [ExecutionProviderSpec.Cuda(0), ExecutionProviderSpec.Cpu] };

        using var session = runtime.OpenSession(TestModels.Affine, settings, logger);

        Assert.Equal(OrtProvider.Cpu, session.Provider);
        var warning = Assert.Single(logger.Entries, e => e.EventId.Id == ProviderUnavailableEvent);
        output.WriteLine(warning.Message);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Cuda", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Failed to load library", warning.Message, StringComparison.Ordinal);
        AssertAffineRuns(session);
    }

    [Fact]
    public void OpenSession_TensorRtThenCuda_BothSkippedWithReasonsAndCpuRuns()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var logger = new CapturingLogger();
        var cache = Path.Combine(Path.GetTempPath(), $"trt-cache-{Guid.NewGuid():N}");
        var settings = new OrtSessionSettings
        {
            Providers = [ExecutionProviderSpec.TensorRt(0, fp16: true, cache, cache), ExecutionProviderSpec.Cuda(0)],
        };

        using var session = runtime.OpenSession(TestModels.Affine, settings, logger);

        Assert.Equal(OrtProvider.Cpu, session.Provider);
        var warnings = logger.Entries.Where(e => e.EventId.Id == ProviderUnavailableEvent).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Contains("TensorRt", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Failed to load library", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Cuda", warnings[1].Message, StringComparison.Ordinal);
        AssertAffineRuns(session);
    }

    [Fact]
    public void OpenSession_SameFailingProviderForSeveralModels_LoggedOnceThenSkippedQuietly()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var logger = new CapturingLogger();
        var settings = new OrtSessionSettings { Providers = [ExecutionProviderSpec.Cuda(0)] };

        using var first = runtime.OpenSession(TestModels.Affine, settings, logger);
        using var second = runtime.OpenSession(TestModels.TwoIo, settings, logger);
        using var third = runtime.OpenSession(TestModels.Scale, settings, logger);

        Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Debug && e.Message.Contains("already failed", StringComparison.Ordinal)));
        Assert.All([first, second, third], s => Assert.Equal(OrtProvider.Cpu, s.Provider));
    }

    [Fact]
    public void OpenSession_CpuListedFirst_AppendsNothingElseAndLogsNoWarning()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var logger = new CapturingLogger();
        var settings = new OrtSessionSettings { Providers = [ExecutionProviderSpec.Cpu, ExecutionProviderSpec.Cuda(0)] };

        using var session = runtime.OpenSession(TestModels.Affine, settings, logger);

        Assert.Equal(OrtProvider.Cpu, session.Provider);
        Assert.DoesNotContain(logger.Entries, e => e.Level >= LogLevel.Warning);
    }

    private static void AssertAffineRuns(OrtSession session)
    {
        float[] x = [0, 1, 2, 3, 4, 5];
        var y = new float[6];
        session.Run([OrtTensorArg.Float("x", x, [2, 3])], [OrtTensorArg.Float("y", y, [2, 3])]);
        Assert.Equal([1f, 3, 5, 7, 9, 11], y);
    }
}
