using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Tests.Messages;

/// <summary>The schemas are live: the writers' output fits them, and a wrong message is caught.</summary>
public sealed class SchemaTests
{
    [Fact]
    public async Task Writers_EveryMessageKind_FitsItsSchema()
    {
        var time = new DateTimeOffset(2026, 11, 22, 3, 0, 1, 200, TimeSpan.Zero);
        await SchemaCheck.AssertValidAsync(
        [
            ("events", Text(EventMessage.ToJson("cam1", new TrackEvent(TrackEventKind.PromptApplied, 3, 12, time)))),
            ("status", Text(new StatusMessage("cam1", StatusMessage.States.Streaming, 9.8, 120, 0, 1, time, 2, "m", "p").ToJson())),
            ("status", Text(new StatusMessage("cam1", StatusMessage.States.Disabled, 0, 0, 0, 0, null, 0, "m", "p").ToJson())),
            ("status", Text(new StatusMessage("cam1", StatusMessage.States.Connecting, 0, 7, 0, 3, time, 0, "m", "p", "rtsp://h/x: Connection refused", 3, 1, StatusMessage.Qualities.Down).ToJson())),
            ("events", Text(EventMessage.LoopedJson("cam1", 80, time))),
            ("state", Text(StatusMessage.StateJson(true))),
            ("reply", Text(new CommandReply("r1", true) { ObjectId = 1, Frame = 0 }.ToJson())),
            ("reply", Text(new CommandReply(null, true) { ObjectIds = [1, 2], Frame = 4 }.ToJson())),
            ("reply", Text(CommandReply.Fail("r2", new CommandError("points[0]", "outside")).ToJson())),
            ("prompt", """{"request_id":"r1","object_id":1,"label":"red","points":[[1,2,1],[3,4,0]],"box":[1,2,3,4],"normalized":false,"frame":0}"""),
            ("remove", """{"object_id":"all"}"""),
            ("set", """{"request_id":"r3","enabled":true}"""),
            ("reset", """{"request_id":"r4"}"""),
            ("capture", """{"request_id":"r6"}"""),
            ("snapshot", Text(new SnapshotMessage("cam1", 42, time, 512, 384, 31877, true).ToJson())),
            ("reply", Text(new CommandReply("r6", true) { Frame = 42, CaptureTime = time }.ToJson())),
            ("reply", Text(new CommandReply("r5", false, "expired: frame 9 did not come within 30 s", "frame") { Expired = true }.ToJson())),
            ("commands", Text(new EdgeSam2.Agent.Commands.CommandStats().ToJson())),
            ("stats", Text(new StatsMessage("edge-1", "1.0.0", 12.5, 130_000_000, 20_000_000, [(new StatusMessage("cam1", StatusMessage.States.Streaming, 9.8, 120, 0, 1, time, 2, "m", "p"), new EdgeSam2.Agent.Telemetry.IntervalFigures(9.5, 30, 45, 60, [.. Enumerable.Range(1, EdgeSam2.Agent.Telemetry.StageNames.Count).Select(i => i * 0.5)]), new ObjectCounts(1, 1, 0))], [("image_encoder", 120, 3.5), ("mask_decoder", 130, 1.25)]).ToJson())),
            ("stats", Text(new StatsMessage("edge-1", "1.0.0", 12.5, 130_000_000, 20_000_000, [(new StatusMessage("cam1", StatusMessage.States.Streaming, 9.8, 120, 0, 1, time, 2, "m", "p"), new EdgeSam2.Agent.Telemetry.IntervalFigures(9.5, 30, 45, 60, [.. Enumerable.Range(1, EdgeSam2.Agent.Telemetry.StageNames.Count).Select(i => i * 0.5)]), new ObjectCounts(1, 1, 0))], [("image_encoder", 120, 3.5), ("mask_decoder", 130, 1.25)], GpuUsedBytes: 2_147_483_648).ToJson())),
            ("info", Text(new InfoMessage("edge-1", "1.0.0", "1.31.1", "m", 512, "image_encoder=CPU, mask_decoder=CPU, memory_attention=CPU, memory_encoder=CPU", 2, ["cam1", "cam2"]).ToJson())),
        ]);
    }

    [Theory]
    [InlineData("events", """{"camera":"c","event":"exploded","object_id":1,"frame":0,"time":"2026-11-22T03:00:01.200Z"}""")]
    [InlineData("reply", """{"request_id":"r","status":"error"}""")]
    [InlineData("events", """{"camera":"c","event":"created","frame":0,"time":"2026-11-22T03:00:01.200Z"}""")]
    [InlineData("events", """{"camera":"c","event":"looped","object_id":1,"frame":0,"time":"2026-11-22T03:00:01.200Z"}""")]
    [InlineData("tracks", """{"camera":"c","frame":0,"capture_time":"x","latency_ms":1,"width":4,"height":4,"objects":[]}""")]
    [InlineData("tracks", """{"camera":"c","frame":0,"capture_time":"2026-11-22T03:00:01.200Z","latency_ms":1,"width":4,"height":4,"objects":[{"id":1,"label":null,"state":"tracking","score":1,"iou":1,"bbox":[0,0,1,1],"centroid":[0,0],"area":1,"velocity":[0,0]}]}""")]
    [InlineData("tracks", """{"camera":"c","frame":0,"capture_time":"2026-11-22T03:00:01.200Z","latency_ms":1,"width":4,"height":4,"objects":[{"id":1,"label":null,"state":"tracking","score":1,"iou":1,"bbox":[0,0,1,1],"centroid":[0,0],"area":1,"velocity":[0,0],"health":{"presence":2,"frames_since_memory_write":0,"memory_frames":1,"memory_capacity":8,"mask_rejected":false}}]}""")]
    [InlineData("tracks-correction", """{"camera":"c","frame":0,"capture_time":"2026-11-22T03:00:01.200Z","capture_clock":"pts","latency_ms":1,"width":4,"height":4,"objects":[]}""")]
    [InlineData("tracks-correction", """{"camera":"c","frame":0,"capture_time":"2026-11-22T03:00:01.200Z","capture_clock":"pts","latency_ms":1,"width":4,"height":4,"correction":{"request_id":"r","object_id":1,"prompt_frame":0},"objects":[]}""")]
    [InlineData("tracks-correction", """{"camera":"c","frame":0,"capture_time":"2026-11-22T03:00:01.200Z","capture_clock":"pts","latency_ms":1,"width":4,"height":4,"correction":{"request_id":"r","object_id":1,"prompt_frame":0,"live_frame":3},"objects":[{"id":1}]}""")]
    [InlineData("prompt", """{"request_id":"r"}""")]
    [InlineData("reply", """{"request_id":"r","status":"expired"}""")]
    [InlineData("commands", """{"received":1}""")]
    [InlineData("snapshot", """{"camera":"c","frame":1,"capture_time":"2026-11-22T03:00:01.200Z","width":4,"height":4,"bytes":9,"reason":"because"}""")]
    [InlineData("info", """{"agent_id":"a","version":"1"}""")]
    [InlineData("stats", """{"agent_id":"a","version":"1","uptime_s":1,"rss_bytes":1,"managed_bytes":1,"cameras":[],"graphs":[{"graph":"other","runs":1,"mean_ms":1}]}""")]
    public async Task Schemas_WrongMessage_Rejected(string schema, string json)
    {
        var (ok, _, output) = await SchemaCheck.ValidateAsync([(schema, json)]);
        Assert.False(ok, output);
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);
}
