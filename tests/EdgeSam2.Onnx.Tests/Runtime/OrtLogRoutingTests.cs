using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Runtime;
using EdgeSam2.Onnx.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Tests.Runtime;

/// <summary>ORT's own log lines reach our logger (not stdout), and its telemetry stays off.</summary>
public sealed class OrtLogRoutingTests
{
    [Fact]
    public void Initialize_ThenOpenAGraph_OrtMessagesReachOurLogger()
    {
        var log = new CapturingLogger();
        OrtRuntime.Initialize(new OrtRuntimeOptions { MinimumLevel = LogLevel.Trace }, new CapturingLoggerFactory(log));

        // Opening a session makes ORT log at verbose level (graph transformations, provider assignment).
        using var session = new SessionOpener(log).Open("image_encoder", Path.Combine(RepoPaths.TestModels, "image_encoder.onnx"), new SessionSettings { IntraOpThreads = 1 }).Session;

        Assert.Contains(log.Entries, e => e.Message.StartsWith("ONNX Runtime [", StringComparison.Ordinal));
        Assert.Equal("1.31.1", OrtRuntime.Version);
    }
}
