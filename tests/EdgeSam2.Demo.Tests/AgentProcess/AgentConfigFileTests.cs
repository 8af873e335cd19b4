using System.Text.Json;
using EdgeSam2.Demo.AgentProcess;
using EdgeSam2.Demo.Scene;

namespace EdgeSam2.Demo.Tests.AgentProcess;

public sealed class AgentConfigFileTests
{
    [Fact]
    public void ToJson_DemoConfig_CameraDeterministicDisabledAndBrokerPort()
    {
        var config = new AgentConfigFile("a1", "edgesam2/{agent_id}", "/m/manifest.json", "/o/libonnxruntime.so.1", "127.0.0.1", 4242, "demo", "/s/scene.mkv");

        using var json = JsonDocument.Parse(config.ToJson());
        var root = json.RootElement.GetProperty("EdgeSam2");

        Assert.Equal("a1", root.GetProperty("AgentId").GetString());
        Assert.Equal("edgesam2/{agent_id}", root.GetProperty("BaseTopic").GetString());
        Assert.Equal("/m/manifest.json", root.GetProperty("Model").GetProperty("Manifest").GetString());
        Assert.Equal("/o/libonnxruntime.so.1", root.GetProperty("Model").GetProperty("OrtLibrary").GetString());
        Assert.Equal(4242, root.GetProperty("Mqtt").GetProperty("Port").GetInt32());
        var camera = Assert.Single(root.GetProperty("Cameras").EnumerateArray().ToArray());
        Assert.Equal("demo", camera.GetProperty("Id").GetString());
        Assert.Equal("/s/scene.mkv", camera.GetProperty("Url").GetString());
        Assert.Equal("Deterministic", camera.GetProperty("Mode").GetString());
        Assert.False(camera.GetProperty("Enabled").GetBoolean());
    }

    [Fact]
    public void PromptJson_DiscTarget_PositiveClickAtCentreOnPromptFrame()
    {
        var scene = new DemoScene();
        var disc = scene.Targets[0];

        using var json = JsonDocument.Parse(scene.PromptJson(disc, "p1"));
        var root = json.RootElement;

        Assert.Equal("p1", root.GetProperty("request_id").GetString());
        Assert.Equal(disc.Id, root.GetProperty("object_id").GetInt32());
        Assert.Equal("red disc", root.GetProperty("label").GetString());
        Assert.Equal(DemoScene.PromptFrame, root.GetProperty("frame").GetInt32());
        var point = Assert.Single(root.GetProperty("points").EnumerateArray().ToArray()).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal([60, 100, 1], point);
    }

    [Fact]
    public void EnableJson_RequestId_EnabledTrue()
    {
        using var json = JsonDocument.Parse(DemoScene.EnableJson("e1"));

        Assert.True(json.RootElement.GetProperty("enabled").GetBoolean());
        Assert.Equal("e1", json.RootElement.GetProperty("request_id").GetString());
    }
}
