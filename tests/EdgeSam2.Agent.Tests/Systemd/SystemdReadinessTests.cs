using System.Net;
using System.Text.Json;
using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Tests.Systemd;

/// <summary>
/// The agent under a fake systemd (a test-owned <c>NOTIFY_SOCKET</c>): READY=1 once started, WATCHDOG=1 only while
/// the camera's pipeline makes progress (and <c>/healthz</c> 503 while it does not), STOPPING=1 on SIGTERM and a clean exit.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class SystemdReadinessTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Run_UnderNotifySocket_ReadyWatchdogWhileStreamingThenStoppingAndExitZero()
    {
        await using var rig = await AgentRig.StartAsync(scene, "sd", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        var @base = rig.Base;
        using var systemd = new NotifySocket(scene.Directory);
        await using var agent = ChildAgent.Start(rig.Config, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = systemd.Path, ["WATCHDOG_USEC"] = "400000" });

        var ready = await systemd.ReceiveUntilAsync(m => m.StartsWith("READY=1", StringComparison.Ordinal), Timeout, () => agent.Output);
        Assert.DoesNotContain(ready, m => m.Contains("STOPPING", StringComparison.Ordinal));
        await rig.Probe.WaitForTextAsync(@base + "/available", "online", Timeout);
        await rig.Probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks", Timeout, "a tracks message");
        await systemd.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout, () => agent.Output);

        agent.Terminate();
        var stopping = await systemd.ReceiveUntilAsync(m => m.StartsWith("STOPPING=1", StringComparison.Ordinal), Timeout, () => agent.Output);
        Assert.All(stopping.SkipLast(1), m => Assert.Equal("WATCHDOG=1", m));
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));
        await rig.Probe.WaitForTextAsync(@base + "/available", "stopped", Timeout);
    }

    [Fact]
    public async Task Watchdog_PipelineHeldOnAFrame_WithheldAndHealthz503UntilReleased()
    {
        await using var rig = await AgentRig.StartAsync(scene, "wd", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        var port = FreePort.Next();
        var config = AgentConfig.Write(scene.Directory, rig.Broker, rig.AgentId, [AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true)], port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var systemd = new NotifySocket(scene.Directory);
        using var host = BuildUnderNotifySocket(systemd, ["--config", config, "--EdgeSam2:Health:StallSeconds=0.5"]);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var hold = false;
        Assert.True(host.Services.GetRequiredService<CameraRegistry>().TryGet("cam1", out var camera));
        camera.FrameGate = async (_, token) =>
        {
            if (Volatile.Read(ref hold))
            {
                await release.Task.WaitAsync(token);
            }
        };
        await host.StartAsync();
        try
        {
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/tracks", Timeout, "a tracks message");
            await systemd.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout, () => "");
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/status" && MqttProbe.Text(m).Contains("\"streaming\"", StringComparison.Ordinal), Timeout, "status streaming");
            using (var healthy = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            }

            // Hung inside one frame, as a stuck inference call would be: ticks now name the camera instead of feeding systemd.
            Volatile.Write(ref hold, true);
            await systemd.ReceiveUntilAsync(m => m.StartsWith("STATUS=watchdog withheld: camera cam1: pipeline stalled", StringComparison.Ordinal), Timeout, () => "");
            var next = await systemd.ReceiveAsync(Timeout, () => "");
            Assert.StartsWith("STATUS=watchdog withheld: camera cam1", next, StringComparison.Ordinal);
            using (var stalled = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, stalled.StatusCode);
                using var body = JsonDocument.Parse(await stalled.Content.ReadAsStringAsync());
                Assert.Equal("unhealthy", body.RootElement.GetProperty("status").GetString());
                var cam1 = Assert.Single(body.RootElement.GetProperty("cameras").EnumerateArray());
                Assert.True(cam1.GetProperty("pipeline_stalled").GetBoolean());
                Assert.StartsWith("pipeline stalled", cam1.GetProperty("reason").GetString(), StringComparison.Ordinal);
                Assert.Contains("image_encoder=CPU", cam1.GetProperty("provider").GetString(), StringComparison.Ordinal);
            }

            Volatile.Write(ref hold, false);
            release.SetResult();
            var resumed = await systemd.ReceiveUntilAsync(m => m == "WATCHDOG=1", Timeout, () => "");
            Assert.Equal("STATUS=running", resumed[^2]);
            using (var again = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The agent in this process, told about the socket the way systemd tells it: through its environment at start.</summary>
    private static IHost BuildUnderNotifySocket(NotifySocket systemd, string[] args)
    {
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", systemd.Path);
        Environment.SetEnvironmentVariable("WATCHDOG_USEC", "400000");
        try
        {
            var host = AgentHost.Build(args);
            _ = host.Services.GetServices<IHostedService>().ToList(); // the notifier reads NOTIFY_SOCKET when it is created
            return host;
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
            Environment.SetEnvironmentVariable("WATCHDOG_USEC", null);
        }
    }
}
