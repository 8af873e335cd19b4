using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Bad commands while two objects track: each gets its error reply naming the problem, nothing changes, and both
/// objects keep their IoU. The Deterministic camera applies the commands that name a frame exactly there, so the bad
/// ones land mid-track; the good prompts' replies also prove MQTT 5 response topics.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class BadInputTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Commands_BadInputsWhileTracking_EachAnsweredAndTrackingUnharmed()
    {
        await using var rig = await AgentRig.StartAsync(scene, "bad", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false), subscribeConsole: true);
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        var console = rig.Console;
        using var host = AgentHost.Build(["--config", config]);
        await host.StartAsync();
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
            var prompt = @base + "/cam1/prompt";
            var disc = scene.Renderer.CentreOf(0, StandardScenes.Two.DiscId);
            var square = scene.Renderer.CentreOf(0, StandardScenes.Two.SquareId);
            await probe.PublishAsync(prompt, Invariant($$"""{"request_id":"p1","object_id":1,"frame":0,"points":[[{{disc.X}},{{disc.Y}},1]]}"""));
            await probe.PublishAsync(prompt, Invariant($$"""{"request_id":"p2","object_id":2,"frame":0,"points":[[{{square.X}},{{square.Y}},1]]}"""), m =>
            {
                m.ResponseTopic = console;
                m.CorrelationData = [7, 8, 9];
            });
            await probe.PublishAsync(prompt, """{"request_id":"bad-json","points":[[1,2,1]""");
            await probe.PublishAsync(@base + "/nocam/prompt", """{"request_id":"bad-cam","points":[[10,10,1]]}""");
            await probe.PublishAsync(prompt, """{"request_id":"bad-point","object_id":5,"frame":20,"points":[[900,20,1]]}""");
            await probe.PublishAsync(prompt, $$"""{"request_id":"bad-many","frame":25,"points":[{{string.Join(",", Enumerable.Repeat("[100,100,1]", 17))}}]}""");
            await probe.PublishAsync(prompt, """{"request_id":"bad-refine","object_id":9,"refine":true,"frame":30,"points":[[100,100,1]]}""");
            await probe.PublishAsync(@base + "/cam1/remove", """{"request_id":"bad-remove","object_id":7,"frame":40}""");
            await probe.PublishAsync(prompt, """{"request_id":"bad-type","object_id":"one","points":[[1,2,1]]}""");
            await probe.PublishAsync(@base + "/cam1/set", """{"enabled":true}""");

            var last = scene.Spec.FrameCount - 1;
            await probe.WaitForAsync(m => m.Topic == @base + "/cam1/tracks" && FrameOf(m) == last, Timeout, $"tracks of frame {last}");

            await ExpectError(probe, @base + "/cam1/reply", "bad-json", "$", "malformed JSON");
            await ExpectError(probe, @base + "/nocam/reply", "bad-cam", "camera", "unknown camera 'nocam'");
            var point = await ExpectError(probe, @base + "/cam1/reply", "bad-point", "points[0]", "point (900, 20) lies outside the 512×384 frame");
            Assert.Equal(20, point.GetProperty("frame").GetInt64());
            await ExpectError(probe, @base + "/cam1/reply", "bad-many", "points", "17 points given; at most 16");
            var refine = await ExpectError(probe, @base + "/cam1/reply", "bad-refine", "object_id", "unknown object 9");
            Assert.Equal(30, refine.GetProperty("frame").GetInt64());
            var remove = await ExpectError(probe, @base + "/cam1/reply", "bad-remove", "object_id", "unknown object 7");
            Assert.Equal(40, remove.GetProperty("frame").GetInt64());
            await ExpectError(probe, @base + "/cam1/reply", "bad-type", "object_id", "positive integer");

            var p1 = await Reply(probe, @base + "/cam1/reply", "p1");
            Assert.Equal("ok", p1.GetProperty("status").GetString());
            var p2 = await probe.WaitForAsync(m => m.Topic == console, Timeout, "the reply on the response topic");
            Assert.Equal([7, 8, 9], p2.CorrelationData!.Value.ToArray());
            using (var json = JsonDocument.Parse(p2.Payload))
            {
                Assert.Equal("p2", json.RootElement.GetProperty("request_id").GetString());
                Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
                Assert.Equal(2, json.RootElement.GetProperty("object_id").GetInt32());
            }

            Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"p2\"", StringComparison.Ordinal));

            // Nothing the bad commands named exists, and both objects tracked throughout.
            var frames = TrackScoring.Parse(probe.Messages, @base + "/cam1/tracks");
            Assert.Equal(scene.Spec.FrameCount, frames.Count);
            Assert.All(frames.Values, objects => Assert.Equal([1, 2], objects.Select(o => o.Id)));
            foreach (var id in new[] { StandardScenes.Two.DiscId, StandardScenes.Two.SquareId })
            {
                var (fraction, visible, trace) = TrackScoring.Score(scene.Renderer, frames, id, id, 0, last);
                Assert.True(fraction >= 0.95, $"object {id}: IoU ≥ 0.9 on {fraction:P1} of {visible} visible frames. {trace}");
                var (after, _, afterTrace) = TrackScoring.Score(scene.Renderer, frames, id, id, 20, last);
                Assert.True(after >= 0.95, $"object {id} after the bad commands: IoU ≥ 0.9 on {after:P1}. {afterTrace}");
            }

            // The file has ended: the camera says so, and a late command is refused rather than left waiting.
            await probe.WaitForAsync(m => m.Topic == @base + "/cam1/status" && MqttProbe.Text(m).Contains("\"finished\"", StringComparison.Ordinal), Timeout, "status finished");
            await probe.PublishAsync(prompt, """{"request_id":"too-late","frame":3,"points":[[100,100,1]]}""");
            await ExpectError(probe, @base + "/cam1/reply", "too-late", "camera", "has ended");
            Assert.Equal(2, probe.Messages.Count(m => m.Topic == @base + "/cam1/events" && MqttProbe.Text(m).Contains("\"created\"", StringComparison.Ordinal)));

            // Every message the agent published here, and the good commands sent to it, fit the published schemas.
            var checkedMessages = new List<(string, string)>();
            foreach (var m in probe.Messages)
            {
                var schema = m.Topic == console ? "reply" : m.Topic[(m.Topic.LastIndexOf('/') + 1)..];
                if (schema is "tracks" or "events" or "status" or "state" or "reply" || (schema is "prompt" or "set" or "remove" && !MqttProbe.Text(m).Contains("bad-", StringComparison.Ordinal) && !MqttProbe.Text(m).Contains("too-late", StringComparison.Ordinal)))
                {
                    checkedMessages.Add((schema, MqttProbe.Text(m)));
                }
            }

            Assert.Contains(checkedMessages, c => c.Item1 == "prompt");
            Assert.Contains(checkedMessages, c => c.Item1 == "events");
            await SchemaCheck.AssertValidAsync(checkedMessages);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Set_WithResponseTopic_ReplyAndCorrelationGoThereNotToCameraReply()
    {
        await using var rig = await AgentRig.StartAsync(scene, "rt", AgentConfig.Camera("cam1", scene.Path, "Deterministic", enabled: false), subscribeConsole: true);
        var (probe, @base, config) = (rig.Probe, rig.Base, rig.Config);
        var console = rig.Console;
        using var host = AgentHost.Build(["--config", config]);
        await host.StartAsync();
        try
        {
            await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"s1","enabled":false}""", m =>
            {
                m.ResponseTopic = console;
                m.CorrelationData = [1, 2, 3, 4];
            });
            await probe.PublishAsync(@base + "/cam1/prompt", """{"request_id":"s2","points":"x"}""", m =>
            {
                m.ResponseTopic = console;
                m.CorrelationData = [5];
            });
            var set = await probe.WaitForAsync(m => m.Topic == console && MqttProbe.Text(m).Contains("\"s1\"", StringComparison.Ordinal), Timeout, "set reply");
            Assert.Equal([1, 2, 3, 4], set.CorrelationData!.Value.ToArray());
            Assert.Contains("\"status\":\"ok\"", MqttProbe.Text(set), StringComparison.Ordinal);
            var bad = await probe.WaitForAsync(m => m.Topic == console && MqttProbe.Text(m).Contains("\"s2\"", StringComparison.Ordinal), Timeout, "prompt reply");
            Assert.Equal([5], bad.CorrelationData!.Value.ToArray());
            Assert.Contains("\"field\":\"points\"", MqttProbe.Text(bad), StringComparison.Ordinal);

            // Plain 3.1.1-style requests (no response topic) are answered on {base}/{cam}/reply; s1 and s2 were not.
            await probe.PublishAsync(@base + "/cam1/set", """{"request_id":"s3","enabled":false}""");
            await probe.WaitForAsync(m => m.Topic == @base + "/cam1/reply" && MqttProbe.Text(m).Contains("\"s3\"", StringComparison.Ordinal), Timeout, "s3 reply");
            Assert.DoesNotContain(probe.Messages, m => m.Topic == @base + "/cam1/reply" && MqttProbe.Text(m) is var t && (t.Contains("\"s1\"", StringComparison.Ordinal) || t.Contains("\"s2\"", StringComparison.Ordinal)));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static async Task<JsonElement> ExpectError(MqttProbe probe, string topic, string? requestId, string field, string text)
    {
        var reply = await probe.WaitForAsync(
            m => m.Topic == topic && ReplyFor(m, requestId, field),
            Timeout,
            $"an error reply to {requestId ?? "(no id)"} on {topic}");
        using var json = JsonDocument.Parse(reply.Payload);
        var root = json.RootElement.Clone();
        Assert.Equal("error", root.GetProperty("status").GetString());
        Assert.Equal(field, root.GetProperty("field").GetString());
        Assert.Contains(text, root.GetProperty("error").GetString(), StringComparison.Ordinal);
        return root;
    }

    private static async Task<JsonElement> Reply(MqttProbe probe, string topic, string requestId)
    {
        var reply = await probe.WaitForAsync(m => m.Topic == topic && ReplyFor(m, requestId, null), Timeout, $"the reply to {requestId}");
        using var json = JsonDocument.Parse(reply.Payload);
        return json.RootElement.Clone();
    }

    private static bool ReplyFor(MqttMessage message, string? requestId, string? field)
    {
        using var json = JsonDocument.Parse(message.Payload);
        var root = json.RootElement;
        var id = root.GetProperty("request_id");
        var sameId = requestId is null ? id.ValueKind == JsonValueKind.Null : id.ValueKind == JsonValueKind.String && id.GetString() == requestId;
        return sameId && (field is null || (root.TryGetProperty("field", out var f) && f.GetString() == field));
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
