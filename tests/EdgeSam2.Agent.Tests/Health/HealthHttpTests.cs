using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using EdgeSam2.Agent.Health;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeSam2.Agent.Tests.Health;

/// <summary>The agent's HTTP endpoint, scraped from a real agent: Prometheus text whose counters move, loopback only by default.</summary>
[Collection(AgentCollection.Name)]
public sealed partial class HealthHttpTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Metrics_WhileStreaming_ParseAsPrometheusTextAndCountersMove()
    {
        await using var rig = await AgentRig.StartAsync(scene, "metrics", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true));
        var port = FreePort.Next();
        var config = AgentConfig.Write(scene.Directory, rig.Broker, rig.AgentId, [AgentConfig.Camera("cam1", scene.Path, "Live", enabled: true, loop: true)], port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await using var agent = ChildAgent.Start(config);
        try
        {
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/tracks", Timeout, "a tracks message");
            var first = Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            var framesBefore = first[$"edgesam2_camera_frames{{camera=\"cam1\"}}"];
            var seen = rig.Probe.Messages.Count(m => m.Topic == rig.Base + "/cam1/tracks");
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/tracks" && rig.Probe.Messages.Count(n => n.Topic == m.Topic) > seen + 5, Timeout, "five more tracks messages");
            var second = Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

            Assert.True(second[$"edgesam2_camera_frames{{camera=\"cam1\"}}"] > framesBefore);
            Assert.True(second[$"edgesam2_camera_processed_fps{{camera=\"cam1\"}}"] > 0);
            foreach (var stage in EdgeSam2.Agent.Telemetry.StageNames.Names)
            {
                Assert.True(second[$"edgesam2_stage_duration_ms_count{{camera=\"cam1\",stage=\"{stage}\"}}"] > 0, stage);
            }

            Assert.Contains($"edgesam2_stage_duration_ms_bucket{{camera=\"cam1\",stage=\"publish\",le=\"40\"}}", second.Keys); // our buckets, not the exporter's
            Assert.True(second[$"edgesam2_stage_duration_ms_bucket{{camera=\"cam1\",stage=\"publish\",le=\"+Inf\"}}"] > 0);
            Assert.Equal(0, second[$"edgesam2_objects{{camera=\"cam1\",state=\"tracking\"}}"]);
            Assert.Equal(1, second[$"edgesam2_camera_healthy{{camera=\"cam1\"}}"]);
            Assert.True(second["process_working_set_bytes"] > 0);
            Assert.True(second["dotnet_total_memory_bytes"] > 0);

            Assert.Equal(0, second[$"edgesam2_camera_stalls_last_hour{{camera=\"cam1\"}}"]);

            // A refused command moves the command counters.
            await rig.Probe.PublishAsync(rig.Base + "/cam1/prompt", """{"request_id":"m1","points":"not a list"}""");
            await rig.Probe.WaitForAsync(m => m.Topic == rig.Base + "/cam1/reply" && System.Text.Encoding.UTF8.GetString(m.Payload.Span).Contains("\"m1\"", StringComparison.Ordinal), Timeout, "the refusal's reply");
            var third = Parse(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
            Assert.True(third["edgesam2_commands_received"] >= 1);
            Assert.True(third["edgesam2_commands_not_served{reason=\"refused\"}"] >= 1);
            Assert.Equal(0, third["edgesam2_commands_not_served{reason=\"oversized\"}"]);

            // GPU memory is there exactly when NVML is (the child agent runs on this box, so it sees the same driver).
            Assert.Equal(EdgeSam2.Agent.Telemetry.GpuMemory.IsAvailable, second.Keys.Any(k => k.StartsWith("edgesam2_gpu_memory_total_bytes{device=", StringComparison.Ordinal)));
        }
        catch (Exception e) when (e is TimeoutException or HttpRequestException)
        {
            throw new InvalidOperationException(e.Message + "\nAgent output:\n" + agent.Output, e);
        }
    }

    [Fact]
    public async Task Http_DefaultAddress_ListensOnLoopbackOnly()
    {
        var other = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .First(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        await using var rig = await AgentRig.StartAsync(scene, "loopback", AgentConfig.Camera("cam1", scene.Path, "Live", enabled: false));
        var port = FreePort.Next();
        var config = AgentConfig.Write(scene.Directory, rig.Broker, rig.AgentId, [AgentConfig.Camera("cam1", scene.Path, "Live", enabled: false)], port);
        using var host = AgentHost.Build(["--config", config]);
        await host.StartAsync();
        try
        {
            Assert.Equal($"127.0.0.1:{port}", host.Services.GetRequiredService<HealthHttpServer>().Endpoint);
            using var loopback = new HttpClient();
            using (var ok = await loopback.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz")))
            {
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode); // a disabled camera is healthy: it is meant to be idle
            }

            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = await Assert.ThrowsAsync<SocketException>(async () => await socket.ConnectAsync(new IPEndPoint(other, port)).WaitAsync(Timeout));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>Prometheus text exposition: every line a comment (HELP/TYPE) or a sample; the samples by series.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(Comment(), line);
                continue;
            }

            var match = Sample().Match(line);
            Assert.True(match.Success, $"not a Prometheus sample line: '{line}'");
            samples[match.Groups["series"].Value] = double.Parse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return samples;
    }

    [GeneratedRegex("""^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$""")]
    private static partial Regex Comment();

    [GeneratedRegex("""^(?<series>[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*",?)*\})?) (?<value>[-+]?([0-9.]+([eE][-+]?[0-9]+)?|Inf|NaN))( -?[0-9]+)?$""")]
    private static partial Regex Sample();
}
