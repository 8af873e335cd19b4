using System.Text.Json;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>A Live camera tracks the newest frame: frames that queued behind a slow frame are dropped, not tracked stale in turn.</summary>
[Collection(AgentCollection.Name)]
public sealed class LiveNewestFrameTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Live_TrackerHeldForSeveralFramePeriods_NextTrackedFrameIsTheNewestTheQueuedOnesDropped()
    {
        await using var rig = await AgentRig.StartAsync(scene, "newest", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        using var host = AgentHost.Build(["--config", rig.Config, "--EdgeSam2:Output:StatsIntervalSeconds=0.1"]);
        Assert.True(host.Services.GetRequiredService<CameraRegistry>().TryGet("cam1", out var camera));
        const long Held = 5;
        var atHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        camera.FrameGate = async (sequence, token) =>
        {
            if (sequence == Held)
            {
                atHeld.TrySetResult();
                await release.Task.WaitAsync(token);
            }
        };
        await host.StartAsync();
        try
        {
            // Frame 5 is held as a slow frame would hold it. The source decodes on at the file's rate into its channel
            // (two frames, the oldest dropped): once it has dropped three more, the channel holds two frames, both newer
            // than the one after frame 5.
            await atHeld.Task.WaitAsync(Timeout);
            var before = camera.Status().Dropped;
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/stats" && Dropped(m) >= before + 3, Timeout, $"stats with {before + 3} frames dropped");
            Assert.Equal(0, camera.SkippedStale);
            release.SetResult();

            var next = Frame(await rig.Probe.WaitForAsync(m => IsTracks(rig, m) && Frame(m) > Held, Timeout, "the first tracks after the held frame"));
            var then = Frame(await rig.Probe.WaitForAsync(m => IsTracks(rig, m) && Frame(m) > next, Timeout, "the tracks after that"));

            // The older of the two queued frames was passed over for the newer (more if more arrived meanwhile), and
            // the camera then follows its source again.
            Assert.True(camera.SkippedStale >= 1, $"no queued frame was passed over: frame {next} tracked after frame {Held}");
            Assert.True(next >= Held + 5, $"frame {next} tracked after frame {Held}: older than the newest queued");
            Assert.True(then > next);
        }
        finally
        {
            release.TrySetResult();
            await host.StopAsync();
        }
    }

    private static bool IsTracks(AgentRig rig, MqttMessage m) => m.Topic == rig.Base + "/cam1/tracks";

    private static long Frame(MqttMessage m)
    {
        using var json = JsonDocument.Parse(m.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static long Dropped(MqttMessage m)
    {
        using var json = JsonDocument.Parse(m.Payload);
        return json.RootElement.GetProperty("cameras")[0].GetProperty("dropped").GetInt64();
    }
}
