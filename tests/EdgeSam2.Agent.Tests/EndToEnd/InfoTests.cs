using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>What the agent says about itself: <c>{base}/info</c> retained on connection, <c>--version</c> and <c>--help</c>.</summary>
[Collection(AgentCollection.Name)]
public sealed class InfoTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Connect_Agent_PublishesInfoRetainedWithVersionOrtModelAndProviders()
    {
        await using var rig = await AgentRig.StartAsync(scene, "info", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false));
        using var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        try
        {
            var message = await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/info", Timeout, "the info message");
            var json = System.Text.Encoding.UTF8.GetString(message.Payload.Span);
            Assert.Equal(json, await RetainedReader.ReadAsync(rig, rig.Base + "/info", waitSeconds: 20)); // retained: a subscriber that comes later gets it
            await SchemaCheck.AssertValidAsync([("info", json)]);
            using var info = JsonDocument.Parse(json);
            var root = info.RootElement;
            Assert.Equal(rig.AgentId, root.GetProperty("agent_id").GetString());
            Assert.Equal(AgentVersion.Text, root.GetProperty("version").GetString());
            Assert.Equal("1.31.1", root.GetProperty("onnxruntime").GetString());
            Assert.Equal("edgesam2-test-scalar", root.GetProperty("model").GetString());
            Assert.Equal("image_encoder=CPU, mask_decoder=CPU, memory_attention=CPU, memory_encoder=CPU, frame_preparation=kernel", root.GetProperty("provider").GetString());
            Assert.Equal(["cam1"], root.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Stats_StreamingCamera_PeriodicWithFramesGraphRunsAndMemory()
    {
        await using var rig = await AgentRig.StartAsync(scene, "stats", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        using var host = AgentHost.Build(["--config", rig.Config, "--EdgeSam2:Output:StatsIntervalSeconds=0.2"]);
        await host.StartAsync();
        try
        {
            // The graphs run only while there is an object to track: seed one once the agent listens.
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            await rig.Probe.PublishAsync(rig.Base + "/cam1/prompt", """{"request_id":"s1","points":[[60,100,1]]}""");
            var message = await rig.Probe.WaitForAsync(
                m => m.Topic == rig.Base + "/stats" && Frames(m) > 0 && Runs(m, "image_encoder") > 0 && Runs(m, "mask_decoder") > 0,
                Timeout,
                "a stats message with frames and encoder runs");
            var json = System.Text.Encoding.UTF8.GetString(message.Payload.Span);
            await SchemaCheck.AssertValidAsync([("stats", json)]);
            using var stats = JsonDocument.Parse(json);
            var root = stats.RootElement;
            Assert.Equal(AgentVersion.Text, root.GetProperty("version").GetString());
            Assert.True(root.GetProperty("rss_bytes").GetInt64() > 10_000_000);
            var graphs = root.GetProperty("graphs").EnumerateArray().ToDictionary(g => g.GetProperty("graph").GetString()!, g => g);
            Assert.Equal(["image_encoder", "mask_decoder", "memory_attention", "memory_encoder"], graphs.Keys);
            Assert.True(graphs["image_encoder"].GetProperty("mean_ms").GetDouble() > 0);
            Assert.True(graphs["mask_decoder"].GetProperty("mean_ms").GetDouble() > 0);

            // The interval figures move on a camera that tracks: a later message, so its whole interval had the object.
            var tracked = await rig.Probe.WaitForAsync(
                m => m.Topic == rig.Base + "/stats" && Frames(m) > Frames(message) && Camera(m).GetProperty("stages_ms").GetProperty("mask_decoder").GetDouble() > 0,
                Timeout,
                "a stats interval with decoder time");
            var camera = Camera(tracked);
            Assert.True(camera.GetProperty("processed_fps").GetDouble() > 0);
            var byState = camera.GetProperty("objects_by_state");
            Assert.Equal(1, camera.GetProperty("objects").GetInt32());
            Assert.Equal(1, byState.GetProperty("tracking").GetInt32() + byState.GetProperty("occluded").GetInt32() + byState.GetProperty("lost").GetInt32());
            var latency = camera.GetProperty("latency_ms");
            Assert.InRange(latency.GetProperty("p50").GetDouble(), double.Epsilon, latency.GetProperty("p95").GetDouble());
            Assert.InRange(latency.GetProperty("p95").GetDouble(), latency.GetProperty("p50").GetDouble(), latency.GetProperty("max").GetDouble());
            var stages = camera.GetProperty("stages_ms").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            Assert.Equal(EdgeSam2.Agent.Telemetry.StageNames.Names, stages.Keys);
            foreach (var stage in new[] { "prepare", "image_encoder", "memory_attention", "mask_decoder", "memory_encoder", "tracker_host", "post", "capture_to_publish" })
            {
                Assert.True(stages[stage] > 0, $"{stage} is {stages[stage]}");
            }

            // Capture to publish covers the graph stages of the same frames.
            Assert.True(stages["capture_to_publish"] >= stages["image_encoder"] + stages["mask_decoder"], $"capture_to_publish {stages["capture_to_publish"]}");
        }
        finally
        {
            await host.StopAsync();
        }

        static JsonElement Camera(EdgeSam2.Mqtt.MqttMessage m) =>
            JsonDocument.Parse(m.Payload).RootElement.GetProperty("cameras")[0].Clone();

        static long Frames(EdgeSam2.Mqtt.MqttMessage m) =>
            JsonDocument.Parse(m.Payload).RootElement.GetProperty("cameras")[0].GetProperty("frames").GetInt64();

        static long Runs(EdgeSam2.Mqtt.MqttMessage m, string graph) =>
            JsonDocument.Parse(m.Payload).RootElement.GetProperty("graphs").EnumerateArray().Single(g => g.GetProperty("graph").GetString() == graph).GetProperty("runs").GetInt64();
    }

    [Fact]
    public async Task Version_Argument_PrintsTheVersionAndExitsZero()
    {
        await using var agent = ChildAgent.StartWith(["--version"]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        Assert.StartsWith($"edgesam2 {AgentVersion.Text} (ONNX Runtime managed API 1.31", agent.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_Argument_PrintsUsageForTheAgentAndTheModelsCommandsAndExitsZero()
    {
        await using var agent = ChildAgent.StartWith(["--help"]);

        Assert.Equal(ExitCodes.Ok, await agent.WaitForExitAsync(Timeout));
        Assert.Contains("usage: edgesam2 [--config PATH]", agent.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 clean stop, 1 failure, 2 invalid config, 3 model set or ONNX Runtime unusable.", agent.Output, StringComparison.Ordinal);
        Assert.Contains("usage: edgesam2 models warm", agent.Output, StringComparison.Ordinal);
    }
}
