using System.Text;
using System.Text.Json;
using EdgeSam2.Demo.Session;

namespace EdgeSam2.Demo.Tests.Session;

public sealed class AgentJsonContextTests
{
    [Fact]
    public void Deserialize_ContractTracksExample_ReadsEveryFieldTheDemoUses()
    {
        const string json = """
            {"camera":"cam1","frame":12,"capture_time":"2026-11-22T03:00:01.200Z","latency_ms":12.3,"width":512,"height":384,
             "objects":[{"id":1,"label":"red","state":"tracking","score":30.5,"iou":0.97,"bbox":[10,20,50,60],"centroid":[30.5,40.5],
                         "area":4012,"velocity":[1.5,-2],"mask":{"size":[384,512],"counts":"abc"}},
                        {"id":2,"state":"occluded","score":-3,"iou":0.1,"bbox":[1,2,3,4],"centroid":[2,3],"area":0,"velocity":[0,0]}],
             "extra":"ignored"}
            """;

        var tracks = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), AgentJsonContext.Default.TracksMessage)!;

        Assert.Equal(("cam1", 12L, 512, 384), (tracks.Camera, tracks.Frame, tracks.Width, tracks.Height));
        Assert.Equal(12.3, tracks.LatencyMs);
        var first = tracks.Objects[0];
        Assert.Equal((1, "red", "tracking", 30.5, 4012L), (first.Id, first.Label, first.State, first.Score, first.Area));
        Assert.Equal([10, 20, 50, 60], first.Bbox!);
        Assert.Equal([384, 512], first.Mask!.Size);
        Assert.Equal("abc", first.Mask.Counts);
        Assert.Null(tracks.Objects[1].Mask);
        Assert.Null(tracks.Objects[1].Label);
    }

    [Fact]
    public void Deserialize_ErrorReply_ReadsStatusErrorAndField()
    {
        const string json = """{"request_id":"r1","status":"error","error":"point (900, 20) lies outside the 512×384 frame","field":"points[0]"}""";

        var reply = JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), AgentJsonContext.Default.CommandReply)!;

        Assert.False(reply.IsOk);
        Assert.Equal(("r1", "points[0]"), (reply.RequestId, reply.Field));
        Assert.Contains("outside", reply.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_OkReply_ReadsObjectAndFrame()
    {
        var reply = JsonSerializer.Deserialize("""{"request_id":"r1","status":"ok","object_id":1,"frame":0}"""u8, AgentJsonContext.Default.CommandReply)!;

        Assert.True(reply.IsOk);
        Assert.Equal((1, 0L), (reply.ObjectId, reply.Frame));
    }

    [Fact]
    public void Deserialize_StatusAndEvent_ReadStateAndEventName()
    {
        var status = JsonSerializer.Deserialize(
            """{"camera":"cam1","state":"streaming","fps":9.8,"frames":120,"dropped":0,"reconnects":0,"objects":2,"model":"m","provider":"Cpu"}"""u8,
            AgentJsonContext.Default.CameraStatus)!;
        var e = JsonSerializer.Deserialize("""{"camera":"cam1","event":"created","object_id":1,"frame":0,"time":"t"}"""u8, AgentJsonContext.Default.AgentEvent)!;

        Assert.Equal(("streaming", 120L, "Cpu"), (status.State, status.Frames, status.Provider));
        Assert.Equal(("created", 1, 0L), (e.Event, e.ObjectId, e.Frame));
    }

    [Fact]
    public void Topics_BaseFromTemplate_NameEveryContractTopic()
    {
        var topics = new AgentTopics(AgentTopics.ExpandBase("edgesam2/{agent_id}", "edge-1"), "cam1");

        Assert.Equal("edgesam2/edge-1/#", topics.All);
        Assert.Equal("edgesam2/edge-1/available", topics.Available);
        Assert.Equal("edgesam2/edge-1/cam1/tracks", topics.Tracks);
        Assert.Equal("edgesam2/edge-1/cam1/prompt", topics.Prompt);
        Assert.Equal("edgesam2/edge-1/cam1/reply", topics.Reply);
        Assert.Equal("edgesam2/edge-1/cam1/set", topics.Set);
    }
}
