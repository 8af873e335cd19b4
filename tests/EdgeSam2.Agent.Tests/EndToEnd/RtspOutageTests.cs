using System.Diagnostics;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using EdgeSam2.Testing;
using EdgeSam2.Testing.Rtsp;
using Xunit.Abstractions;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// A real RTSP server on loopback killed and restarted ten times, outages of 3–7 s, while the agent (a child process,
/// as systemd runs it) tracks an object on it: the camera says why it is down, streams again within 5 s of the
/// server's return, the object keeps its id, and the agent never restarts.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class RtspOutageTests(SceneFile scene, ITestOutputHelper output)
{
    private const int Outages = 10;
    private const int ObjectId = 5;
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Rtsp_ServerKilledAndRestartedTenTimes_StreamsAgainWithin5sSameObjectSameAgent()
    {
        var port = FreePort.Next();
        var server = await Serve(port);
        try
        {
            var camera = new
            {
                Id = "cam",
                Url = server.Url,
                Mode = "Live",
                Enabled = true,
                StallTimeoutSeconds = 5,
                NetworkTimeoutSeconds = 2,
                RestartMinDelayMs = 200,
                RestartMaxDelayMs = 1000,
            };
            await using var rig = await AgentRig.StartAsync(scene, "rtsp", camera);
            var (probe, @base) = (rig.Probe, rig.Base);
            await using var agent = ChildAgent.Start(rig.Config);
            var pid = agent.Id;
            try
            {
                await probe.WaitForAsync(m => m.Topic == @base + "/cam/status" && State(m) == "streaming", Timeout, "status streaming");
                var decoy = StandardScenes.Two.DistractorAt;
                await probe.PublishAsync(@base + "/cam/prompt", $$"""{"request_id":"d","object_id":{{ObjectId}},"points":[[{{decoy.X}},{{decoy.Y}},1]]}""");
                await probe.WaitForAsync(m => m.Topic == @base + "/cam/tracks" && Tracking(m), Timeout, "the object tracked");

                var random = new Random(20261130);
                var recoveries = new List<TimeSpan>();
                var reasons = new List<string>();
                for (var i = 0; i < Outages; i++)
                {
                    var outage = TimeSpan.FromSeconds(3 + (4 * random.NextDouble()));
                    var down = Stopwatch.StartNew();
                    var statusesBefore = probe.Messages.Count(m => m.Topic == @base + "/cam/status");
                    await server.DisposeAsync();

                    // While it is down the camera says so, and why.
                    var seen = 0;
                    var downStatus = await probe.WaitForAsync(
                        m => m.Topic == @base + "/cam/status" && ++seen > statusesBefore && State(m) is "connecting" or "stalled" && Reason(m) is { Length: > 0 },
                        Timeout,
                        $"outage {i}: a connecting or stalled status with a reason");
                    var reportedAfter = down.Elapsed;
                    Assert.True(reportedAfter < outage, $"outage {i}: the camera reported it only after {reportedAfter:g}, after the server was back");

                    // The outage is the scenario itself, not a wait for a signal.
                    var left = outage - down.Elapsed;
                    if (left > TimeSpan.Zero)
                    {
                        await Task.Delay(left);
                    }

                    var starting = Stopwatch.StartNew();
                    server = await Serve(port);
                    var serverStart = starting.Elapsed;
                    var back = Stopwatch.StartNew();
                    var lastFrame = probe.Messages.Where(m => m.Topic == @base + "/cam/tracks").Select(FrameOf).DefaultIfEmpty(-1).Max();
                    await probe.WaitForAsync(m => m.Topic == @base + "/cam/tracks" && FrameOf(m) > lastFrame, Timeout, $"outage {i}: frames again");
                    recoveries.Add(back.Elapsed);
                    await probe.WaitForAsync(m => m.Topic == @base + "/cam/tracks" && FrameOf(m) > lastFrame && Tracking(m), Timeout, $"outage {i}: object {ObjectId} tracked again");
                    output.WriteLine($"outage {i}: {outage.TotalSeconds:0.0} s down, reported after {reportedAfter.TotalSeconds:0.0} s as '{Reason(downStatus)}'; frames again {recoveries[^1].TotalSeconds:0.00} s after the server's return, object tracked after {back.Elapsed.TotalSeconds:0.00} s (the server took {serverStart.TotalSeconds:0.0} s to start)");
                    Assert.False(agent.HasExited, $"outage {i}: the agent exited. Output:\n{agent.Output}");
                    reasons.Add(Reason(downStatus)!);
                }

                Assert.All(recoveries, r => Assert.True(r <= BackWithin, $"streaming again after {r:g} (all: {string.Join(", ", recoveries.Select(x => x.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))} s; reasons while down: {string.Join(" | ", reasons)})"));

                // The same agent process throughout, never offline, and object 5 was never re-created or removed.
                Assert.Equal(pid, agent.Id);
                Assert.False(agent.HasExited);
                Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/available" && MqttProbe.Text(m) != "online");
                var events = probe.Messages.Where(m => m.Topic == @base + "/cam/events").Select(m => (Event: Field(m, "event"), Object: Root(m).GetProperty("object_id").GetInt32())).ToList();
                Assert.Equal([("created", ObjectId)], events.Where(e => e.Event is "created" or "removed"));
                var status = Root(await probe.WaitForAsync(m => m.Topic == @base + "/cam/status" && State(m) == "streaming" && Root(m).GetProperty("reconnects").GetInt64() >= Outages, Timeout, "status counting the reconnects"));
                Assert.InRange(status.GetProperty("reconnects_last_hour").GetInt32(), Outages, 1000);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException(e.Message + "\nAgent output:\n" + agent.Output, e);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private Task<RtspTestServer> Serve(int port) => RtspTestServer.StartFileAsync(scene.Path, scene.Spec.Width, scene.Spec.Height, fps: 10, port: port);

    private static JsonElement Root(MqttMessage m)
    {
        using var json = JsonDocument.Parse(m.Payload);
        return json.RootElement.Clone();
    }

    private static string? Field(MqttMessage m, string name) => Root(m).TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? State(MqttMessage m) => Field(m, "state");

    private static string? Reason(MqttMessage m) => Field(m, "reason");

    private static long FrameOf(MqttMessage m) => Root(m).GetProperty("frame").GetInt64();

    private static bool Tracking(MqttMessage m)
    {
        foreach (var o in Root(m).GetProperty("objects").EnumerateArray())
        {
            if (o.GetProperty("id").GetInt32() == ObjectId && o.GetProperty("state").GetString() == "tracking")
            {
                return true;
            }
        }

        return false;
    }
}
