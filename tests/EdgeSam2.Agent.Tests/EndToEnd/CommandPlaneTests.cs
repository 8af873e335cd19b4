using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using Xunit.Abstractions;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// The command plane against the real agent and mosquitto, one finding of issue 7 per test: each hostile message gets
/// exactly one reply (or is dropped and counted), and nothing it does outlives it.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class CommandPlaneTests(SceneFile scene, ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static readonly object FastCounters = new { StatsIntervalSeconds = 0.2 };

    [Fact]
    public async Task Prompt_LoneSurrogateInRequestIdOrLabel_OneErrorReplyNamingTheField()
    {
        await using var rig = await AgentRig.StartAsync(scene, "surr", [Disabled("cam1")], commands: FastCounters);
        using var host = await StartAsync(rig);
        try
        {
            var prompt = rig.Base + "/cam1/prompt";
            await rig.Probe.PublishAsync(prompt, """{"request_id":"a\ud800","points":[[10,10,1]]}""");
            await rig.Probe.PublishAsync(prompt, """{"request_id":"s2","label":"x\udc00y","points":[[10,10,1]]}""");
            await CommandCounters.WaitSettledAsync(rig.Probe, rig.Base, 2, Timeout);

            var replies = Replies(rig.Probe, rig.Base + "/cam1/reply");
            Assert.Equal(2, replies.Count(r => r.Status == "error"));
            Assert.Single(replies, r => r.Field == "request_id" && r.RequestId is null && r.Error!.Contains("not valid Unicode", StringComparison.Ordinal));
            Assert.Single(replies, r => r.Field == "label" && r.RequestId == "s2");
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Prompt_FarFutureFramesAndAFullInbox_RefusedExpiredAndClearedByResetRemoveAllAndDisable()
    {
        await using var rig = await AgentRig.StartAsync(
            scene,
            "future",
            [Disabled("cam1")],
            commands: new { StatsIntervalSeconds = 0.2, MaxFramesAhead = 100, PendingTimeoutSeconds = 10 },
            tracking: new { MaxPendingPrompts = 4 });
        using var host = await StartAsync(rig);
        try
        {
            var (probe, @base) = (rig.Probe, rig.Base);
            var prompt = @base + "/cam1/prompt";
            var reply = @base + "/cam1/reply";

            // Beyond the distance limit: refused at once, nothing waits.
            await probe.PublishAsync(prompt, """{"request_id":"far","frame":1000000000,"points":[[10,10,1]]}""");
            var far = await ReplyAsync(probe, reply, "far");
            Assert.Equal(("error", "frame"), (far.Status, far.Field));
            Assert.Contains("more than 100 frames ahead", far.Error, StringComparison.Ordinal);

            // Four fill the inbox of the disabled camera; the fifth is refused; remove-all and reset still work and
            // answer what they drop.
            for (var i = 1; i <= 4; i++)
            {
                await probe.PublishAsync(prompt, $$"""{"request_id":"w{{i}}","frame":90,"points":[[10,10,1]]}""");
            }

            await probe.PublishAsync(prompt, """{"request_id":"w5","frame":90,"points":[[10,10,1]]}""");
            Assert.Contains("4 commands are already waiting", (await ReplyAsync(probe, reply, "w5")).Error, StringComparison.Ordinal);
            await probe.PublishAsync(@base + "/cam1/remove", """{"request_id":"all","object_id":"all"}""");
            for (var i = 1; i <= 4; i++)
            {
                Assert.Contains("dropped by a reset or remove-all", (await ReplyAsync(probe, reply, "w" + i)).Error, StringComparison.Ordinal);
            }

            await probe.PublishAsync(prompt, """{"request_id":"q1","frame":90,"points":[[10,10,1]]}""");
            await probe.PublishAsync(@base + "/cam1/reset", "");
            await probe.PublishAsync(prompt, """{"request_id":"q2","frame":90,"points":[[10,10,1]]}""");
            Assert.Contains("dropped by a reset", (await ReplyAsync(probe, reply, "q1")).Error, StringComparison.Ordinal);

            // Disabling answers everything still waiting: the remove-all, the reset (no request id) and q2.
            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"off","enabled":false}""");
            Assert.Equal("camera", (await ReplyAsync(probe, reply, "all")).Field);
            Assert.Equal("camera", (await ReplyAsync(probe, reply, "q2")).Field);
            await CommandCounters.WaitSettledAsync(probe, @base, 11, Timeout);
            Assert.Single(Replies(probe, reply), r => r.RequestId is null && r.Field == "camera");

            // A frame that never comes (the camera stays disabled): answered "expired" after the pending time-out.
            await probe.PublishAsync(prompt, """{"request_id":"never","frame":90,"points":[[10,10,1]]}""");
            var expired = await ReplyAsync(probe, reply, "never");
            Assert.Equal(("expired", "frame"), (expired.Status, expired.Field));

            // Enabled again, a reset is applied on the next frame.
            await probe.PublishAsync(@base + "/cam1/set", """{"enabled":true}""");
            await probe.PublishAsync(@base + "/cam1/reset", """{"request_id":"r2"}""");
            var reset = await ReplyAsync(probe, reply, "r2");
            Assert.Equal("ok", reset.Status);
            await CommandCounters.WaitSettledAsync(probe, @base, 14, Timeout);
            Assert.Equal(14, Replies(probe, reply).Count);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Prompt_ResponseTopicOutsideThePrefix_RefusedOnTheCameraReplyTopic()
    {
        await using var rig = await AgentRig.StartAsync(scene, "rtp", [Disabled("cam1")], commands: FastCounters);
        using var host = await StartAsync(rig);
        try
        {
            var (probe, @base) = (rig.Probe, rig.Base);
            string[] hostile = [@base + "/available", @base + "/cam1/set", "edgesam2/other-agent/cam1/prompt", @base + "/replies/prompt", @base + "/replies/"];
            for (var i = 0; i < hostile.Length; i++)
            {
                var topic = hostile[i];
                await probe.PublishAsync(@base + "/cam1/set", $$"""{"request_id":"h{{i}}","enabled":false}""", m =>
                {
                    m.ResponseTopic = topic;
                    m.CorrelationData = [(byte)i];
                });
            }

            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"good","enabled":false}""", m => m.ResponseTopic = rig.Console);
            await CommandCounters.WaitSettledAsync(probe, @base, hostile.Length + 1, Timeout);

            for (var i = 0; i < hostile.Length; i++)
            {
                var refused = await ReplyAsync(probe, @base + "/cam1/reply", "h" + i);
                Assert.Equal(("error", "response_topic"), (refused.Status, refused.Field));
                Assert.Equal([(byte)i], refused.Message.CorrelationData!.Value.ToArray());
            }

            Assert.Equal("ok", (await ReplyAsync(probe, rig.Console, "good")).Status);
            Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/available" && MqttProbe.Text(m) != "online");
            Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/cam1/set" && MqttProbe.Text(m).Contains("\"status\"", StringComparison.Ordinal));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Commands_FloodFromOneSender_OthersStillAnsweredAndTheRestCountedAsDropped()
    {
        await using var rig = await AgentRig.StartAsync(scene, "flood", [Disabled("cam1")], commands: new { StatsIntervalSeconds = 0.2, RatePerSecond = 50, RateBurst = 100, GlobalRatePerSecond = 100000 });
        using var host = await StartAsync(rig);
        try
        {
            var (probe, @base) = (rig.Probe, rig.Base);
            const int Flood = 3000;
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(Flood);
            for (var i = 0; i < Flood; i++)
            {
                sends.Add(probe.PublishAsync(@base + "/cam1/prompt", $$"""{"request_id":"f{{i}}","points":[[NaN]]}"""));
            }

            // Another sender (its own response topic) behind the whole flood.
            sends.Add(probe.PublishAsync(@base + "/cam1/set", """{"request_id":"legit","enabled":false}""", m => m.ResponseTopic = rig.Console));
            await Task.WhenAll(sends);
            var legit = await ReplyAsync(probe, rig.Console, "legit");
            Assert.Equal("ok", legit.Status);
            var counters = await CommandCounters.WaitSettledAsync(probe, @base, Flood + 1, Timeout);
            var seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine($"{Flood + 1} commands handled in {seconds:0.00} s ({(Flood + 1) / seconds:0} commands/s): replied {counters.Replied}, dropped (rate limited) {counters.RateLimited}");

            // The flooding sender got its burst answered, was told once per second that it is limited, and the rest was counted.
            Assert.True(counters.RateLimited > 0, "the flood was not rate limited");
            var floodReplies = Replies(probe, @base + "/cam1/reply");
            Assert.Equal(counters.Replied - 1, floodReplies.Count);
            Assert.Contains(floodReplies, r => r.Error!.StartsWith("rate limited", StringComparison.Ordinal));
            Assert.Equal(Flood, floodReplies.Count + counters.RateLimited);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Commands_BurstWithinTheLimits_EveryOneAnswered()
    {
        // Without a rate limit in the way, and with room for every reply in the queue, every command of a burst is
        // answered: replies are published side by side, not one PUBACK at a time behind the reader.
        await using var rig = await AgentRig.StartAsync(scene, "burst", [Disabled("cam1")], commands: new { StatsIntervalSeconds = 0.2, RatePerSecond = 100000, RateBurst = 100000, GlobalRatePerSecond = 100000, ReplyQueueCapacity = 4096 });
        using var host = await StartAsync(rig);
        try
        {
            var (probe, @base) = (rig.Probe, rig.Base);
            const int Burst = 2000;
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(Burst);
            for (var i = 0; i < Burst; i++)
            {
                sends.Add(probe.PublishAsync(@base + "/cam1/remove", $$"""{"request_id":"b{{i}}","object_id":"none"}"""));
            }

            await Task.WhenAll(sends);
            var counters = await CommandCounters.WaitSettledAsync(probe, @base, Burst, Timeout);
            output.WriteLine($"{Burst} commands answered in {clock.Elapsed.TotalSeconds:0.00} s ({Burst / clock.Elapsed.TotalSeconds:0} answered/s)");
            Assert.Equal(Burst, counters.Replied);
            Assert.Equal(Burst, Replies(probe, @base + "/cam1/reply").Count);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Prompt_HugeNaNAndDeepPayloads_RefusedWithTheirRequestIds()
    {
        await using var rig = await AgentRig.StartAsync(scene, "huge", [Disabled("cam1")], commands: FastCounters);
        using var host = await StartAsync(rig);
        try
        {
            var (probe, @base) = (rig.Probe, rig.Base);
            var prompt = @base + "/cam1/prompt";
            var points = new StringBuilder();
            for (var i = 0; i < 100_000; i++)
            {
                points.Append(i == 0 ? "" : ",").Append("[1,2,1]");
            }

            await probe.PublishAsync(prompt, $$"""{"request_id":"huge","points":[{{points}}]}""");
            await probe.PublishAsync(prompt, $$"""{"request_id":"many","points":[{{string.Join(",", Enumerable.Repeat("[1,2,1]", 5000))}}]}""");
            await probe.PublishAsync(prompt, """{"request_id":"nan","points":[[NaN,2,1]]}""");
            await probe.PublishAsync(prompt, """{"points":[[1,2,1]],"box":[Infinity,0,1,1],"request_id":"inf"}""");
            await probe.PublishAsync(prompt, """{"request_id":"deep","x":""" + new string('[', 5000) + new string(']', 5000) + "}");
            await CommandCounters.WaitSettledAsync(probe, @base, 5, Timeout);

            var reply = @base + "/cam1/reply";
            Assert.Contains("at most 65536 are accepted", (await ReplyAsync(probe, reply, "huge")).Error, StringComparison.Ordinal);
            Assert.Contains("5000 points given; at most 16", (await ReplyAsync(probe, reply, "many")).Error, StringComparison.Ordinal);
            Assert.Contains("malformed JSON", (await ReplyAsync(probe, reply, "nan")).Error, StringComparison.Ordinal);
            Assert.Contains("malformed JSON", (await ReplyAsync(probe, reply, "inf")).Error, StringComparison.Ordinal);
            Assert.Contains("at most 8 are accepted", (await ReplyAsync(probe, reply, "deep")).Error, StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Commands_HostileStringsAndManyRefusals_LoggedEscapedAndSummarised()
    {
        await using var rig = await AgentRig.StartAsync(scene, "logs", [Disabled("cam1")], commands: new { StatsIntervalSeconds = 0.2, LogIntervalSeconds = 3600, RatePerSecond = 10000, RateBurst = 10000 });
        await using var agent = ChildAgent.Start(rig.Config);
        var (probe, @base) = (rig.Probe, rig.Base);
        await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
        await probe.PublishAsync(@base + "/cam1/prompt", """{"request_id":"\u001b[2J\u001b[31mRED\u0000\nFAKE LOG LINE","points":"x"}""");
        const int More = 300;
        for (var i = 0; i < More; i++)
        {
            await probe.PublishAsync(@base + "/cam1/prompt", $$"""{"request_id":"bad{{i}}","points":"x"}""");
        }

        await CommandCounters.WaitSettledAsync(probe, @base, More + 1, Timeout);
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(Timeout));

        var log = agent.Output;
        Assert.DoesNotContain('\u001b', log);
        Assert.DoesNotContain('\0', log);
        Assert.DoesNotContain("\nFAKE LOG LINE", log, StringComparison.Ordinal);
        Assert.Contains(@"\u001b[2J\u001b[31mRED\u0000\u000aFAKE LOG LINE", log, StringComparison.Ordinal);
        Assert.Equal(1, Count(log, "Command refused"));
        Assert.Contains($"{More} more commands refused", log, StringComparison.Ordinal);
    }

    private object Disabled(string id) => AgentConfig.Camera(id, scene.Path, "Deterministic", enabled: false);

    private async Task<Microsoft.Extensions.Hosting.IHost> StartAsync(AgentRig rig)
    {
        var host = AgentHost.Build(["--config", rig.Config]);
        await host.StartAsync();
        await rig.Probe.WaitForTextAsync(rig.Base + "/available", "online", Timeout);
        return host;
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal))
        {
            n++;
        }

        return n;
    }

    private static async Task<Reply> ReplyAsync(MqttProbe probe, string topic, string requestId)
    {
        var message = await probe.WaitForAsync(m => m.Topic == topic && Reply.Parse(m).RequestId == requestId, Timeout, $"the reply to {requestId} on {topic}");
        return Reply.Parse(message);
    }

    private static List<Reply> Replies(MqttProbe probe, string topic)
    {
        var replies = new List<Reply>();
        foreach (var m in probe.Messages)
        {
            if (m.Topic == topic)
            {
                replies.Add(Reply.Parse(m));
            }
        }

        return replies;
    }

    private sealed record Reply(string? RequestId, string Status, string? Field, string? Error, MqttMessage Message)
    {
        public static Reply Parse(MqttMessage message)
        {
            using var json = JsonDocument.Parse(message.Payload);
            var r = json.RootElement;
            return new Reply(
                r.GetProperty("request_id").GetString(),
                r.GetProperty("status").GetString()!,
                r.TryGetProperty("field", out var f) ? f.GetString() : null,
                r.TryGetProperty("error", out var e) ? e.GetString() : null,
                message);
        }
    }
}
