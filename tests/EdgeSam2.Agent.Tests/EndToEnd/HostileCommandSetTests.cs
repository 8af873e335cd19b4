using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using Xunit.Abstractions;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Issue 7's hostile set: over 10,000 generated hostile commands through mosquitto to the real agent process while it
/// tracks an object on a Deterministic camera. Every command is answered or counted as dropped, the agent never
/// restarts, the object's masks are bit-identical to a run without the traffic, and resident memory stays put.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class HostileCommandSetTests(SceneFile scene, ITestOutputHelper output)
{
    private const int Count = 10_000;
    private const int Chunk = 250;
    private const long MemoryBudget = 50L * 1024 * 1024;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Agent_HostileCommandSet_AllAccountedMasksUnchangedMemoryBounded()
    {
        var baseline = await TrackAsync(hostile: false);
        var attacked = await TrackAsync(hostile: true);

        var last = scene.Spec.FrameCount - 1;
        Assert.Equal(scene.Spec.FrameCount, baseline.Count);
        Assert.Equal(scene.Spec.FrameCount, attacked.Count);
        for (var frame = 0L; frame <= last; frame++)
        {
            var (expected, actual) = (baseline[frame], attacked[frame]);
            Assert.True(expected is not null, $"the baseline lost object 1 on frame {frame}");
            Assert.True(actual is not null, $"object 1 was lost on frame {frame} under hostile traffic");
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"object 1's mask on frame {frame} differs from the run without hostile traffic");
        }
    }

    /// <summary>One agent run: object 1 prompted on frame 0, the whole file tracked; its mask per frame (null when absent).</summary>
    private async Task<Dictionary<long, byte[]?>> TrackAsync(bool hostile)
    {
        var disc = scene.Renderer.CentreOf(0, StandardScenes.Two.DiscId);
        await using var rig = await AgentRig.StartAsync(
            scene,
            hostile ? "hostile" : "calm",
            [AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false), AgentConfig.Camera("cam2", scene.Path, "Deterministic", enabled: false)],
            commands: new { StatsIntervalSeconds = 0.25, PendingTimeoutSeconds = 20 });
        var (probe, @base) = (rig.Probe, rig.Base);
        await using var agent = ChildAgent.Start(rig.Config);
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
            await probe.PublishAsync(@base + "/cam1/prompt", string.Create(CultureInfo.InvariantCulture, $$"""{"request_id":"track","object_id":1,"frame":0,"points":[[{{disc.X}},{{disc.Y}},1]]}"""), m => m.ResponseTopic = rig.Console);
            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"go","enabled":true}""", m => m.ResponseTopic = rig.Console);
            var sent = 2L;
            if (hostile)
            {
                await probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks" && FrameOf(m) >= 2, Timeout, "tracks of frame 2");
                sent += await AttackAsync(rig, agent, sent);
            }

            var last = scene.Spec.FrameCount - 1;
            await probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks" && FrameOf(m) == last, Timeout, $"tracks of frame {last}");
            Assert.Contains("\"ok\"", MqttProbe.Text(await probe.WaitForAsync(m => m.Topic == rig.Console && MqttProbe.Text(m).Contains("\"track\"", StringComparison.Ordinal), Timeout, "the reply to the prompt")), StringComparison.Ordinal);

            Assert.False(agent.HasExited, "the agent exited:\n" + agent.Output);
            Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/available" && MqttProbe.Text(m) != "online");
            agent.Terminate();
            Assert.Equal(0, await agent.WaitForExitAsync(Timeout));

            var masks = new Dictionary<long, byte[]?>();
            foreach (var (frame, objects) in TrackScoring.Parse(probe.Messages, @base + "/cam1/tracks"))
            {
                masks[frame] = objects.Find(o => o.Id == 1)?.Mask;
                Assert.All(objects, o => Assert.Equal(1, o.Id));
            }

            return masks;
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(e.Message + "\nAgent output (tail):\n" + Tail(agent.Output), e);
        }
    }

    /// <summary>Sends the hostile set in chunks (each received by the agent before the next goes); returns how many were sent.</summary>
    private async Task<long> AttackAsync(AgentRig rig, ChildAgent agent, long before)
    {
        var (probe, @base) = (rig.Probe, rig.Base);
        var commands = HostileCommands.Generate(@base, Count, seed: 7);
        var rssBefore = agent.ResidentBytes();
        var clock = Stopwatch.StartNew();
        var sent = before;
        for (var start = 0; start < commands.Count; start += Chunk)
        {
            var sends = new List<Task>(Chunk);
            for (var i = start; i < Math.Min(commands.Count, start + Chunk); i++)
            {
                sends.Add(probe.Client.PublishAsync(commands[i]).AsTask());
            }

            await Task.WhenAll(sends);
            sent += sends.Count;
            var target = sent;
            await probe.WaitForAsync(m => m.Topic == @base + "/commands" && CommandCounters.Parse(m).Received >= target, Timeout, $"the agent to receive {target} commands");
        }

        var counters = await CommandCounters.WaitSettledAsync(probe, @base, sent, Timeout);
        var seconds = clock.Elapsed.TotalSeconds;
        var rssAfter = agent.ResidentBytes();

        // Every reply the counters say was sent arrived; with the drops that makes every command sent.
        var replies = 0L;
        foreach (var m in probe.Messages)
        {
            if (m.Topic.EndsWith("/reply", StringComparison.Ordinal) || m.Topic.StartsWith(@base + "/replies/", StringComparison.Ordinal))
            {
                replies++;
            }
        }

        output.WriteLine(
            $"hostile set: {commands.Count} commands in {seconds:0.0} s ({commands.Count / seconds:0}/s); replied {counters.Replied} " +
            $"(refused {counters.Refused}, expired {counters.Expired}), dropped {counters.RateLimited} rate limited + {counters.ReplyQueueFull} reply queue full; " +
            $"RSS {rssBefore / 1048576.0:0.0} MiB before, {rssAfter / 1048576.0:0.0} MiB after");
        Assert.Equal(counters.Replied, replies);
        Assert.Equal(sent, replies + counters.Dropped);
        Assert.True(Math.Abs(rssAfter - rssBefore) <= MemoryBudget, $"resident memory went from {rssBefore / 1048576.0:0.0} MiB to {rssAfter / 1048576.0:0.0} MiB");
        return sent - before;
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
