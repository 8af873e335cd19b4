using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Tests.Native;

/// <summary>
/// ORT's own log lines reach the ILogger given to Load. ORT has one env per process and keeps the logging function
/// of the env that is alive, so these tests own the only runtime while they run (the assembly runs tests serially).
/// </summary>
public sealed class OrtLogRoutingTests
{
    private const int OrtMessageEvent = 5;

    [Fact]
    public void Load_WithLoggerAtVerbose_RoutesOrtsSessionMessagesIntoIt()
    {
        var logger = new CapturingLogger();
        using (var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary, OrtLogLevel.Verbose, logger))
        using (runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default))
        {
        }

        var routed = logger.Entries.Where(e => e.EventId.Id == OrtMessageEvent).ToList();
        Assert.NotEmpty(routed);
        Assert.All(routed, e => Assert.StartsWith("ONNX Runtime [", e.Message, StringComparison.Ordinal));
        Assert.Contains(routed, e => e.Level == LogLevel.Trace);
    }

    [Fact]
    public void Run_RejectedByOrt_OrtsErrorLineReachesTheLogger()
    {
        var logger = new CapturingLogger();
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary, OrtLogLevel.Warning, logger);
        using var session = runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        Assert.Throws<OrtException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[6], [2, 3])], [OrtTensorArg.Float("y", new float[9], [3, 3])]));

        var error = Assert.Single(logger.Entries, e => e.EventId.Id == OrtMessageEvent && e.Level == LogLevel.Error);
        Assert.Contains("{3,3}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logger.Entries, e => e.Level == LogLevel.Trace);
    }
}
