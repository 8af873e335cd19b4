using System.Text.Json;
using EdgeSam2.Agent.Options;
using EdgeSam2.Testing;
using EdgeSam2.Video;
using Microsoft.Extensions.Configuration;

namespace EdgeSam2.Agent.Tests.Options;

public sealed class AgentConfigurationTests
{
    private static readonly Dictionary<string, string?> Minimal = new()
    {
        ["EdgeSam2:Cameras:0:Id"] = "cam1",
        ["EdgeSam2:Cameras:0:Url"] = "rtsp://127.0.0.1:8554/cam1",
    };

    private static (AgentOptions Options, List<string> Errors) Load(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var errors = new List<string>();
        var options = AgentConfiguration.TryLoad(configuration, new PathResolver(Path.Combine(RepoPaths.Root, "config")), errors);
        return (options, errors);
    }

    private static Dictionary<string, string?> With(params (string Key, string? Value)[] extra)
    {
        var values = new Dictionary<string, string?>(Minimal);
        foreach (var (key, value) in extra)
        {
            values[key] = value;
        }

        return values;
    }

    [Fact]
    public void Load_MinimalConfig_UsesDefaultsAndResolvesPaths()
    {
        var (options, errors) = Load(Minimal);
        Assert.Empty(errors);
        Assert.Equal("edgesam2/edge-1", options.ResolvedBaseTopic);
        Assert.Equal(Path.Combine(RepoPaths.Root, "models", "test", "manifest.json"), options.Model.Manifest);
        Assert.Equal([ExecutionProviderKind.Cpu], options.Model.Providers);
        Assert.Equal(SourceMode.Live, options.Cameras[0].Mode);
        Assert.True(options.Cameras[0].Enabled);
    }

    [Fact]
    public void Load_UnknownKeysAndBadValues_ListsEveryErrorAtOnce()
    {
        var (_, errors) = Load(With(
            ("EdgeSam2:Mqtt:Hots", "broker"),
            ("EdgeSam2:Mqtt:Port", "70000"),
            ("EdgeSam2:Tracking:MaxObject", "3"),
            ("EdgeSam2:Tracking:MinIouForMemory", "1.5"),
            ("EdgeSam2:Cameras:0:Mode", "Fast"),
            ("EdgeSam2:Cameras:0:Framerate", "10"),
            ("EdgeSam2:Model:IntraOpThreads", "many")));
        var all = string.Join("\n", errors);
        Assert.Contains("EdgeSam2:Mqtt:Hots: unknown option 'Hots'", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Mqtt:Port: 70000 is outside 1..65535", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Tracking:MaxObject: unknown option", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Tracking:MinIouForMemory: 1.5 is outside 0..1", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:0:Mode: 'Fast' is not one of Deterministic, Live", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:0:Framerate: unknown option", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Model:IntraOpThreads: 'many' is not a valid integer", all, StringComparison.Ordinal);
        Assert.Equal(7, errors.Count);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("65")]
    public void Load_ObjectThreadsOutOfRange_Named(string threads)
    {
        var (_, errors) = Load(With(("EdgeSam2:Model:ObjectThreads", threads)));

        Assert.Contains(errors, e => e.StartsWith($"EdgeSam2:Model:ObjectThreads: {threads} must be 0 (automatic", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_FramePreparationUnknown_NamesTheAllowedValues()
    {
        var (_, errors) = Load(With(("EdgeSam2:Model:FramePreparation", "Gpu")));

        var error = Assert.Single(errors);
        Assert.Equal("EdgeSam2:Model:FramePreparation: 'Gpu' is not one of Auto, Kernel, Graph.", error);
    }

    [Fact]
    public void Load_FramePreparationGraph_IsBound()
    {
        var (options, errors) = Load(With(("EdgeSam2:Model:FramePreparation", "graph")));

        Assert.Empty(errors);
        Assert.Equal(EdgeSam2.Onnx.Preparation.FramePreparation.Graph, options.Model.FramePreparation);
    }

    [Fact]
    public void Load_CommandLimitsOutOfRangeAndUnsafePrefixes_EachNamed()
    {
        var (_, errors) = Load(With(
            ("EdgeSam2:Commands:MaxPayloadBytes", "10"),
            ("EdgeSam2:Commands:MaxJsonDepth", "2"),
            ("EdgeSam2:Commands:RatePerSecond", "0"),
            ("EdgeSam2:Commands:PendingTimeoutSeconds", "-1"),
            ("EdgeSam2:Commands:StatsIntervalSeconds", "0.01"),
            ("EdgeSam2:Commands:ResponseTopicPrefixes:0", "edgesam2/"),
            ("EdgeSam2:Commands:ResponseTopicPrefixes:1", "{base}/cam1/"),
            ("EdgeSam2:Commands:ResponseTopicPrefixes:2", "replies/#/"),
            ("EdgeSam2:Commands:ResponseTopicPrefixes:3", "console/replies")));
        var all = string.Join("\n", errors);
        Assert.Contains("EdgeSam2:Commands:MaxPayloadBytes: 10 is outside", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Commands:MaxJsonDepth: 2 is outside", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Commands:RatePerSecond: 0 must be positive", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Commands:PendingTimeoutSeconds: -1 must be positive", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Commands:StatsIntervalSeconds: 0.01", all, StringComparison.Ordinal);
        Assert.Contains("'edgesam2/' would let replies go to the agent's own topics", all, StringComparison.Ordinal);
        Assert.Contains("'edgesam2/edge-1/cam1/' lies under camera 'cam1'", all, StringComparison.Ordinal);
        Assert.Contains("'replies/#/' must be a topic prefix without wildcards", all, StringComparison.Ordinal);
        Assert.Contains("'console/replies' must be a topic prefix without wildcards that ends with '/'", all, StringComparison.Ordinal);
        Assert.Equal(9, errors.Count);
    }

    [Fact]
    public void Load_AnchorAndCandidateOptionsOutOfRange_EachNamed()
    {
        var (_, errors) = Load(With(
            ("EdgeSam2:Tracking:MaxAnchors", "6"),
            ("EdgeSam2:Tracking:CandidateMotionWeight", "1.5"),
            ("EdgeSam2:Tracking:CandidateStableFrames", "-1")));
        var all = string.Join("\n", errors);
        Assert.Contains("EdgeSam2:Tracking:MaxAnchors: 6 is outside", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Tracking:CandidateMotionWeight: 1.5 is outside 0..1", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Tracking:CandidateStableFrames: -1 is outside", all, StringComparison.Ordinal);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Load_CameraDecoderThreading_ReachesTheSourceOptions()
    {
        var (defaults, _) = Load(Minimal);
        Assert.Equal(DecoderThreading.Auto, defaults.Cameras[0].ToSourceOptions(64, 64).DecoderThreading);

        var (options, errors) = Load(With(("EdgeSam2:Cameras:0:DecoderThreading", "frame")));
        Assert.Empty(errors);
        Assert.Equal(DecoderThreading.Frame, options.Cameras[0].ToSourceOptions(64, 64).DecoderThreading);
    }

    [Fact]
    public void Load_CameraDecoderThreadingBadOrWithGStreamer_Named()
    {
        var (_, bad) = Load(With(("EdgeSam2:Cameras:0:DecoderThreading", "frames")));
        Assert.Equal("EdgeSam2:Cameras:0:DecoderThreading: 'frames' is not one of Auto, Slice, Frame.", Assert.Single(bad));

        var (_, gstreamer) = Load(With(("EdgeSam2:Cameras:0:Decoder", "GStreamer"), ("EdgeSam2:Cameras:0:DecoderThreading", "Slice")));
        Assert.Contains(gstreamer, e => e.StartsWith("EdgeSam2:Cameras:0: DecoderThreading applies to Decoder Ffmpeg only", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_CameraUrlsNoClientCanUse_EachNamedWithoutThePassword()
    {
        var (_, errors) = Load(With(
            ("EdgeSam2:Cameras:0:Url", "rtsp://admin:se/cret@127.0.0.1:554/live"),
            ("EdgeSam2:Cameras:1:Id", "cam2"),
            ("EdgeSam2:Cameras:1:Url", "rtsp://127.0.0.1:99999/live"),
            ("EdgeSam2:Cameras:2:Id", "cam3"),
            ("EdgeSam2:Cameras:2:Url", "/videos/a\"b.mkv"),
            ("EdgeSam2:Cameras:2:Decoder", "GStreamer")));
        var all = string.Join("\n", errors);

        Assert.Contains("EdgeSam2:Cameras:0: Url 'rtsp://admin:***@127.0.0.1:554/live' is not a valid RTSP URL", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:1: Url 'rtsp://127.0.0.1:99999/live' is not a valid RTSP URL", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:2: Url: GStreamer cannot be given a path holding U+0022", all, StringComparison.Ordinal);
        Assert.DoesNotContain("cret", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoResponseTopicPrefixes_DefaultsToBaseReplies()
    {
        var (options, errors) = Load(Minimal);
        Assert.Empty(errors);
        Assert.Equal(["edgesam2/edge-1/replies/"], options.Commands.ResolvedResponseTopicPrefixes(options.ResolvedBaseTopic));
    }

    [Fact]
    public void Load_UnknownTopLevelKey_Refused()
    {
        var (_, errors) = Load(With(("EdgeSam2:Camera:0:Id", "x")));
        Assert.Contains(errors, e => e.StartsWith("EdgeSam2:Camera: unknown option", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_CameraProblems_EachNamed()
    {
        var (_, errors) = Load(new Dictionary<string, string?>
        {
            ["EdgeSam2:Cameras:0:Id"] = "cam/1",
            ["EdgeSam2:Cameras:0:Url"] = "rtsp://127.0.0.1/x",
            ["EdgeSam2:Cameras:0:Mode"] = "Deterministic",
            ["EdgeSam2:Cameras:1:Id"] = "cam2",
            ["EdgeSam2:Cameras:1:Url"] = "/no/such/file.mkv",
            ["EdgeSam2:Cameras:2:Id"] = "cam2",
            ["EdgeSam2:Cameras:2:Url"] = "rtsp://127.0.0.1/y",
        });
        var all = string.Join("\n", errors);
        Assert.Contains("EdgeSam2:Cameras:0:Id: 'cam/1'", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:0: Deterministic mode reads files only", all, StringComparison.Ordinal);
        Assert.DoesNotContain("EdgeSam2:Cameras:1", all, StringComparison.Ordinal); // a missing file is the camera's to report, at run time
        Assert.Contains("EdgeSam2:Cameras:2:Id: 'cam2' is used by another camera", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingModel_NamesWhereItLooked()
    {
        var (_, errors) = Load(With(("EdgeSam2:Model:Manifest", "models/none/manifest.json")));
        var error = Assert.Single(errors);
        Assert.StartsWith("EdgeSam2:Model:Manifest: the model manifest 'models/none/manifest.json' was not found (looked in", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoCameras_Refused()
    {
        var (_, errors) = Load(new Dictionary<string, string?> { ["EdgeSam2:AgentId"] = "a" });
        Assert.Contains("EdgeSam2:Cameras: at least one camera is required.", errors);
    }

    [Fact]
    public void Load_ObjectWhereAValueBelongs_Refused()
    {
        var (_, errors) = Load(With(("EdgeSam2:Mqtt:Port:Value", "1")));
        Assert.Contains(errors, e => e.StartsWith("EdgeSam2:Mqtt:Port: expects a single integer", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_BadConfigFile_ThrowsListingEveryError()
    {
        var path = Path.Combine(Path.GetTempPath(), "edgesam2-bad-" + Guid.NewGuid().ToString("N") + ".json");
        var model = JsonSerializer.Serialize(new { Manifest = Path.Combine(RepoPaths.TestModels, "manifest.json") });
        File.WriteAllText(path, $$$"""{"EdgeSam2":{"Model":{{{model}}},"Mqtt":{"Port":0,"TracksQos":2},"Cameras":[{"Id":"c","Url":"rtsp://h/x","Loop":"maybe"}]}}""");
        try
        {
            var e = Assert.Throws<AgentConfigurationException>(() => AgentHost.Build(["--config", path]));
            Assert.Equal(3, e.Errors.Count);
            Assert.Contains("Port: 0 is outside", e.Message, StringComparison.Ordinal);
            Assert.Contains("TracksQos: 2 must be 0 or 1", e.Message, StringComparison.Ordinal);
            Assert.Contains("Loop: 'maybe' is not a valid boolean", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.5")]
    [InlineData("11")]
    [InlineData("NaN")]
    public void Load_LatePromptCatchUpRatioOutOfRange_Named(string value)
    {
        var (_, errors) = Load(With(("EdgeSam2:Tracking:LatePromptCatchUpRatio", value)));
        var error = Assert.Single(errors);
        Assert.StartsWith("EdgeSam2:Tracking:LatePromptCatchUpRatio: ", error, StringComparison.Ordinal);
        Assert.EndsWith(" is outside (0, 10].", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LatePromptRingOutOfRange_GlobalAndPerCameraNamed()
    {
        var (_, errors) = Load(With(
            ("EdgeSam2:Tracking:LatePromptSeconds", "-1"),
            ("EdgeSam2:Tracking:LatePromptMaxFrames", "0"),
            ("EdgeSam2:Cameras:0:LatePromptSeconds", "61"),
            ("EdgeSam2:Cameras:0:LatePromptMaxFrames", "5000")));
        var all = string.Join("\n", errors);
        Assert.Contains("EdgeSam2:Tracking:LatePromptSeconds: -1 is outside [0, 60]", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Tracking:LatePromptMaxFrames: 0 is outside 1..1800", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:0:LatePromptSeconds: 61 is outside [0, 60]", all, StringComparison.Ordinal);
        Assert.Contains("EdgeSam2:Cameras:0:LatePromptMaxFrames: 5000 is outside 1..1800", all, StringComparison.Ordinal);
        Assert.Equal(4, errors.Count);
    }

    [Fact]
    public void Build_MissingConfigFile_Throws()
    {
        var e = Assert.Throws<AgentConfigurationException>(() => AgentHost.Build(["--config", "/no/such/edgesam2.json"]));
        Assert.Contains("/no/such/edgesam2.json", e.Message, StringComparison.Ordinal);
    }
}
