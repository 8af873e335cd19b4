using System.Globalization;
using System.Text.Json;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Mqtt;
using EdgeSam2.Scenes;
using EdgeSam2.Testing.Rtsp;
using EdgeSam2.Tracking.Masks;

namespace EdgeSam2.Agent.Tests.EndToEnd;

/// <summary>
/// Several cameras on one agent and its one shared model set, each tracking on its own thread through the scheduler:
/// Deterministic files scored frame by frame against the scene's ground truth; real RTSP streams (GStreamer) serve
/// the same scene with the square held still, since a live stream's frame numbers do not say which scene frame it
/// shows: the square's exact mask is then the same on every frame, while the red disc still moves past.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class MultiCameraTests(SceneFile scene)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    private static readonly SceneSpec Still = StandardScenes.TwoTargets() with
    {
        Objects =
        [
            StandardScenes.TwoTargets().Objects[0],
            new SceneObject(StandardScenes.Two.SquareId, SceneShape.Square, StandardScenes.Blue, StandardScenes.Two.SquareHalfSide, Trajectory.Static(300, 260)),
        ],
    };

    private static readonly SceneRenderer StillRenderer = new(Still);

    // Frames of an RTSP camera scored after its prompt was applied.
    private const int StreamFrames = 25;

    [Fact]
    public Task Track_TwoCamerasFileAndRtsp_EachTracksItsObjectAtIoU09() => TrackAsync(files: 1, streams: 1);

    [Fact]
    public Task Track_FourCamerasTwoFilesTwoRtsp_EachTracksItsObjectAtIoU09() => TrackAsync(files: 2, streams: 2);

    [Fact]
    public async Task Track_OneObjectCameraBesideEightObjectCamera_KeepsTrackingAndWaitsItsTurn()
    {
        await using var server = await RtspTestServer.StartFileAsync(await StillSceneAsync(), Still.Width, Still.Height);
        await using var rig = await AgentRig.StartAsync(
            scene, "fair", [AgentConfig.Camera("busy", scene.Path, "Live", enabled: true, loop: true), AgentConfig.Camera("light", server.Url, "Live", enabled: true)]);
        var (probe, @base) = (rig.Probe, rig.Base);
        using var host = AgentHost.Build(["--config", rig.Config, "--EdgeSam2:Output:StatsIntervalSeconds=1"]);
        await host.StartAsync();
        try
        {
            // Eight objects on the busy camera: every one a click inside the static disc, so each prompt selects it.
            await probe.WaitForAsync(m => m.Topic == @base + "/busy/tracks", Timeout, "busy streaming");
            var decoy = StandardScenes.Two.DistractorAt;
            for (var i = 0; i < 8; i++)
            {
                var (dx, dy) = ((i % 3 - 1) * 10, (i / 3 - 1) * 10);
                await probe.PublishAsync(@base + "/busy/prompt", Invariant($$"""{"request_id":"b{{i}}","object_id":{{11 + i}},"points":[[{{decoy.X + dx}},{{decoy.Y + dy}},1]]}"""));
            }

            for (var i = 0; i < 8; i++)
            {
                Assert.Equal(11 + i, await AppliedAsync(probe, @base + "/busy/reply", $"b{i}"));
            }

            var heavy = await probe.WaitForAsync(m => m.Topic == @base + "/busy/tracks" && ObjectCount(m) == 8, Timeout, "eight objects on busy");
            var busyFrom = FrameOf(heavy);

            await probe.WaitForAsync(m => m.Topic == @base + "/light/tracks", Timeout, "light streaming");
            var from = await PromptSquareAsync(probe, @base, "light");
            AssertSquareTracked("light", await StreamFramesAsync(probe, @base + "/light/tracks", from));

            // The busy camera kept running its eight objects meanwhile: both had their turns.
            var busyLater = probe.Messages.Where(m => m.Topic == @base + "/busy/tracks" && FrameOf(m) > busyFrom && ObjectCount(m) == 8).ToList();
            Assert.True(busyLater.Count >= 3, $"busy published only {busyLater.Count} frames with its eight objects while light was scored");

            // The light camera's frames waited for the scheduler (the busy camera's runs were ahead), and still ran.
            var stats = await probe.WaitForAsync(
                m => m.Topic == @base + "/stats" && Stages(m, "light") is { } s && s.GetProperty("mask_decoder").GetDouble() > 0 && Stages(m, "busy") is { } b && b.GetProperty("mask_decoder").GetDouble() > 0,
                Timeout,
                "stats with both cameras tracking");
            Assert.True(Stages(stats, "light")!.Value.GetProperty("wait").GetDouble() > 0, MqttProbe.Text(stats));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private async Task TrackAsync(int files, int streams)
    {
        var servers = new List<RtspTestServer>();
        try
        {
            var still = await StillSceneAsync();
            for (var i = 0; i < streams; i++)
            {
                servers.Add(await RtspTestServer.StartFileAsync(still, Still.Width, Still.Height));
            }

            var cameras = new List<object>();
            for (var i = 0; i < files; i++)
            {
                cameras.Add(AgentConfig.Camera($"file{i}", scene.Path, "Deterministic", enabled: false));
            }

            for (var i = 0; i < streams; i++)
            {
                cameras.Add(AgentConfig.Camera($"rtsp{i}", servers[i].Url, "Live", enabled: true));
            }

            await using var rig = await AgentRig.StartAsync(scene, "multi", [.. cameras]);
            var (probe, @base) = (rig.Probe, rig.Base);
            using var host = AgentHost.Build(["--config", rig.Config]);
            await host.StartAsync();
            try
            {
                await probe.WaitForTextAsync(@base + "/available", "online", Timeout);
                for (var i = 0; i < files; i++)
                {
                    var id = FileTarget(i);
                    var centre = scene.Renderer.CentreOf(0, id);
                    await probe.PublishAsync(@base + $"/file{i}/prompt", Invariant($$"""{"request_id":"f{{i}}","object_id":{{id}},"frame":0,"points":[[{{centre.X}},{{centre.Y}},1]]}"""));
                }

                for (var i = 0; i < streams; i++)
                {
                    await probe.WaitForAsync(m => m.Topic == @base + $"/rtsp{i}/tracks", Timeout, $"rtsp{i} streaming");
                }

                var from = new long[streams];
                for (var i = 0; i < streams; i++)
                {
                    from[i] = await PromptSquareAsync(probe, @base, $"rtsp{i}");
                }

                for (var i = 0; i < files; i++)
                {
                    await probe.PublishAsync(@base + $"/file{i}/set", """{"request_id":"go","enabled":true}""");
                }

                var last = scene.Spec.FrameCount - 1;
                for (var i = 0; i < files; i++)
                {
                    var topic = @base + $"/file{i}/tracks";
                    await probe.WaitForAsync(m => m.Topic == topic && FrameOf(m) == last, Timeout, $"file{i}: tracks of frame {last}");
                    Assert.Equal(FileTarget(i), await AppliedAsync(probe, @base + $"/file{i}/reply", $"f{i}"));
                    var frames = TrackScoring.Parse(probe.Messages, topic);
                    Assert.Equal(scene.Spec.FrameCount, frames.Count);
                    var (fraction, visible, trace) = TrackScoring.Score(scene.Renderer, frames, FileTarget(i), FileTarget(i), 0, last);
                    Assert.True(visible > scene.Spec.FrameCount / 2, $"file{i}: object visible on only {visible} frames");
                    Assert.True(fraction >= 0.95, $"file{i}: IoU ≥ 0.9 on {fraction:P1} of {visible} visible frames. {trace}");
                }

                for (var i = 0; i < streams; i++)
                {
                    AssertSquareTracked($"rtsp{i}", await StreamFramesAsync(probe, @base + $"/rtsp{i}/tracks", from[i]));
                }
            }
            finally
            {
                await host.StopAsync();
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    private static int FileTarget(int camera) => camera % 2 == 0 ? StandardScenes.Two.DiscId : StandardScenes.Two.SquareId;

    /// <summary>The still scene rendered once to a lossless file next to the shared scene.</summary>
    private async Task<string> StillSceneAsync()
    {
        var path = Path.Combine(scene.Directory, "still-square.mkv");
        if (!File.Exists(path))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await SceneVideo.WriteAsync(Still, path + ".tmp.mkv", timeout.Token);
            File.Move(path + ".tmp.mkv", path, overwrite: true);
        }

        return path;
    }

    /// <summary>Prompts the still square on a live camera's next frame; the frame it was applied to.</summary>
    private static async Task<long> PromptSquareAsync(MqttProbe probe, string @base, string camera)
    {
        var centre = StillRenderer.CentreOf(0, StandardScenes.Two.SquareId);
        await probe.PublishAsync(@base + $"/{camera}/prompt", Invariant($$"""{"request_id":"d-{{camera}}","object_id":{{StandardScenes.Two.SquareId}},"points":[[{{centre.X}},{{centre.Y}},1]]}"""));
        var reply = await probe.WaitForAsync(m => m.Topic == @base + $"/{camera}/reply" && MqttProbe.Text(m).Contains($"\"d-{camera}\"", StringComparison.Ordinal), Timeout, $"reply on {camera}");
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static async Task<int> AppliedAsync(MqttProbe probe, string topic, string requestId)
    {
        var reply = await probe.WaitForAsync(m => m.Topic == topic && MqttProbe.Text(m).Contains($"\"{requestId}\"", StringComparison.Ordinal), Timeout, $"reply to {requestId}");
        using var json = JsonDocument.Parse(reply.Payload);
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        return json.RootElement.GetProperty("object_id").GetInt32();
    }

    /// <summary>The first <see cref="StreamFrames"/> tracks messages after frame <paramref name="from"/>, decoded.</summary>
    private static async Task<List<ReceivedObject?>> StreamFramesAsync(MqttProbe probe, string topic, long from)
    {
        await probe.WaitForAsync(m => m.Topic == topic && probe.Messages.Count(n => n.Topic == topic && FrameOf(n) > from) >= StreamFrames, Timeout, $"{StreamFrames} frames on {topic}");
        var frames = TrackScoring.Parse(probe.Messages, topic);
        return [.. frames.Where(f => f.Key > from).OrderBy(f => f.Key).Take(StreamFrames).Select(f => f.Value.FirstOrDefault(o => o.Id == StandardScenes.Two.SquareId))];
    }

    private static void AssertSquareTracked(string camera, List<ReceivedObject?> frames)
    {
        var truth = new byte[Still.Width * Still.Height];
        StillRenderer.RenderVisibleMask(0, StandardScenes.Two.SquareId, truth);
        var ious = frames.Select(o => o?.Mask is { } mask ? MaskMetrics.IoU(mask, truth) : 0).ToList();
        var good = ious.Count(iou => iou >= 0.9);
        Assert.True(
            good >= frames.Count * 0.95,
            $"{camera}: IoU ≥ 0.9 on {good} of {frames.Count} frames: {string.Join(' ', ious.Select(i => i.ToString("0.00", CultureInfo.InvariantCulture)))}; "
            + $"mask pixels {frames.FirstOrDefault(o => o?.Mask is not null)?.Mask?.Length}, boxes {string.Join(' ', frames.Take(3).Select(o => o is null ? "-" : string.Join(',', o.Bbox)))}");
    }

    private static JsonElement? Stages(MqttMessage message, string camera)
    {
        using var json = JsonDocument.Parse(message.Payload);
        foreach (var c in json.RootElement.GetProperty("cameras").EnumerateArray())
        {
            if (c.GetProperty("camera").GetString() == camera)
            {
                return c.GetProperty("stages_ms").Clone();
            }
        }

        return null;
    }

    private static int ObjectCount(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("objects").GetArrayLength();
    }

    private static long FrameOf(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        return json.RootElement.GetProperty("frame").GetInt64();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
