using System.Net;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>What a site engineer sees when the config is wrong: exit 2 and one clear line, or — for one camera's missing file — a running agent.</summary>
[Collection(AgentCollection.Name)]
public sealed class ConfigErrorTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_ConfigIsBrokenJson_ExitsTwoWithOneLineAndNoStackTrace()
    {
        var path = Path.Combine(scene.Directory, "broken-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        await File.WriteAllTextAsync(path, """{ "EdgeSam2": { "AgentId": "x", """);
        await using var agent = ChildAgent.Start(path);

        Assert.Equal(2, await agent.WaitForExitAsync(Timeout));
        var lines = agent.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith($"edgesam2: the config file '{path}' is not valid JSON: ", line, StringComparison.Ordinal);
        Assert.Contains("LineNumber: 0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OneCameraFileMissing_OtherCameraTracksAndTheMissingOneIsReported()
    {
        await using var rig = await AgentRig.StartAsync(scene, "missing", AgentConfig.Camera("unused", scene.Path, "Live", enabled: false));
        var missing = Path.Combine(scene.Directory, "no-such-" + Guid.NewGuid().ToString("N")[..8] + ".mkv");
        var port = FreePort.Next();
        var config = AgentConfig.Write(
            scene.Directory,
            rig.Broker,
            rig.AgentId,
            [AgentConfig.Camera("gone", missing, "Live", enabled: true), AgentConfig.Camera("good", scene.Path, "Live", enabled: true, loop: true)],
            port);
        await using var agent = ChildAgent.Start(config);
        try
        {
            await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/good/tracks", Timeout, "tracks from the good camera");
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/gone/status" && IsRetrying(m), Timeout, "the missing camera reported connecting, retried");

            // /healthz names the camera and why: ffmpeg's own words about the file.
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var gone = body.RootElement.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("camera").GetString() == "gone");
            Assert.Contains("No such file or directory", gone.GetProperty("reason").GetString(), StringComparison.Ordinal);
            var good = body.RootElement.GetProperty("cameras").EnumerateArray().Single(c => c.GetProperty("camera").GetString() == "good");
            Assert.True(good.GetProperty("healthy").GetBoolean());
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\nAgent output:\n" + agent.Output);
        }

        Assert.DoesNotContain(rig.Probe.Messages, m => m.Topic == rig.Base + "/gone/status" && MqttProbe.Text(m).Contains("\"streaming\"", StringComparison.Ordinal));
        Assert.Contains(Path.GetFileName(missing), agent.Output, StringComparison.Ordinal);
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
    }

    private static bool IsRetrying(EdgeSam2.Mqtt.MqttMessage status)
    {
        using var json = JsonDocument.Parse(status.Payload);
        return json.RootElement.GetProperty("state").GetString() == "connecting" && json.RootElement.GetProperty("reconnects").GetInt64() > 0;
    }
}
