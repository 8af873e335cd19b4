using EdgeSam2.Agent.Cameras;
using EdgeSam2.Agent.Models;
using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Scheduling;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Scenes;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Tests.Models;

/// <summary>
/// The bench's floor (<c>models bench --agent-tracker --scene …</c>, <see cref="BenchLoop"/> over
/// <see cref="BenchFrames.Decode"/>) makes the graph calls the agent's camera tracker makes on the same scene, frame
/// by frame: the same graphs, the memory encoder included, at the same batch, prompt points, memory frames and
/// pointers. The agent side is the camera's own decoder (<see cref="VideoSource"/>, Deterministic) feeding a tracker
/// built as <c>CameraPipeline</c> builds it, behind the scheduler; both on the real ONNX Runtime and the real ffmpeg.
/// </summary>
public sealed class FloorParityTests : IDisposable
{
    private const int Width = 512, Height = 384, SceneFrames = 14, Warmup = 5;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-floor-").FullName;

    [Theory]
    [InlineData("test", 1)]
    [InlineData("test", 3)]
    [InlineData("micro", 1)]
    [InlineData("micro", 3)]
    public async Task FloorLoop_AgentsSceneFile_MakesTheAgentTrackersGraphCallsFrameByFrame(string modelSet, int objects)
    {
        var manifest = modelSet == "micro" ? Path.Combine(RepoPaths.Sam2Micro, "graphs", "manifest.json") : Path.Combine(RepoPaths.TestModels, "manifest.json");
        using var set = Sam2ModelSet.Load(manifest, new Onnx.Providers.SessionSettings { IntraOpThreads = 1 });
        var size = set.Info.InputSize;
        var (video, clicks) = await WriteSceneAsync(objects);
        var tracking = new AgentOptions().Tracking;

        var agent = new GraphCallLog(set.CreateModel());
        using (var model = new ScheduledSam2Model(agent, new InferenceGate(1)))
        {
            await TrackLikeTheAgentAsync(new Sam2Tracker(model, CameraPipeline.TrackerOptionsFrom(tracking)), video, size, clicks);
        }

        var floor = new GraphCallLog(set.CreateModel());
        using (floor)
        {
            BenchLoop.Run(floor, CameraPipeline.TrackerOptionsFrom(tracking), BenchFrames.Decode(video, size, Width, Height, clicks, SceneFrames), SceneFrames - 1 - Warmup, Warmup);
        }

        Assert.Equal(SceneFrames, agent.Frames.Count);
        Assert.Equal(agent.Frames, floor.Frames);
        // Not a vacuous match: the agent writes memory after the prompt frame (on the micro set, whose random weights
        // lose the objects from frame 1, only the first Tracking:MaxAbsentWrites absent frames), so the floor must too.
        Assert.Contains(floor.Frames.Skip(1), f => f.Contains("| memory b", StringComparison.Ordinal));

        // And the command the bench runs for its floor makes those calls: graph calls counted over its timed frames.
        var config = Path.Combine(_dir, "floor.json");
        await File.WriteAllTextAsync(config, $$$"""
            {"EdgeSam2":{"Model":{"Manifest":"{{{manifest}}}","IntraOpThreads":1},"Cameras":[{"Id":"cam1","Url":"{{{video}}}","Mode":"Deterministic"}]}}
            """);
        await using var command = ChildAgent.StartWith([
            "models", "bench", "--config", config, "--agent-tracker", "--scene", video, "--scene-size", $"{Width}x{Height}",
            "--clicks", string.Join(';', clicks.Select(c => FormattableString.Invariant($"{c.X},{c.Y}"))), "--frames", $"{SceneFrames - 1 - Warmup}", "--json"]);
        Assert.Equal(ExitCodes.Ok, await command.WaitForExitAsync(Timeout));
        var line = System.Text.Json.JsonDocument.Parse(command.Output.Split('\n').Single(l => l.StartsWith('{'))).RootElement;
        var calls = line.GetProperty("graphs").EnumerateArray().Select(g => g.GetProperty("calls").GetInt32()).ToArray();
        var timed = agent.Frames.Skip(1 + Warmup).ToList();
        Assert.Equal([timed.Count, Count(timed, "| decoder"), Count(timed, "| attention"), Count(timed, "| memory")], calls);
    }

    private static int Count(List<string> frames, string call) => frames.Sum(f => f.Split(call).Length - 1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The agent's path for a camera: its decoder scales the file to the model's size, its tracker takes the prompts on frame 0.</summary>
    private static async Task TrackLikeTheAgentAsync(Sam2Tracker tracker, string video, int size, IReadOnlyList<(float X, float Y)> clicks)
    {
        var prompts = clicks.Select((c, i) => (TrackerCommand)new PromptCommand(new ObjectPrompt { ObjectId = i + 1, Points = [new PromptPoint(c.X, c.Y, true)] })).ToList();
        await using var source = VideoSource.Create(new VideoSourceOptions { Url = video, OutputWidth = size, OutputHeight = size, Mode = SourceMode.Deterministic });
        using var cts = new CancellationTokenSource(Timeout);
        var running = source.RunAsync(cts.Token);
        var index = 0L;
        await foreach (var frame in source.Frames.ReadAllAsync(cts.Token))
        {
            using (frame)
            {
                using var _ = tracker.Process(frame.Rgb24.Span, frame.Width, frame.Height, frame.SourceWidth, frame.SourceHeight, index, frame.CaptureTime, index == 0 ? prompts : []);
                index++;
            }
        }

        await running;
    }

    /// <summary>Objects moving left to right, each in its own band, as an H.264 file; one click per object at its frame-0 centre.</summary>
    private async Task<(string Video, (float X, float Y)[] Clicks)> WriteSceneAsync(int objects)
    {
        var band = Height / objects;
        var spec = new SceneSpec
        {
            Width = Width,
            Height = Height,
            FrameCount = SceneFrames,
            FramesPerSecond = 25,
            Seed = 5,
            Objects = [.. Enumerable.Range(0, objects).Select(i => new SceneObject(
                i + 1, i % 2 == 0 ? SceneShape.Disc : SceneShape.Square, new Rgb((byte)(220 - (60 * i)), (byte)(40 + (70 * i)), 60), Math.Min(36, band / 4),
                new Trajectory(new ScenePoint(80, (band * i) + (band / 2.0)), new ScenePoint(6, 0))))],
        };
        var path = Path.Combine(_dir, $"scene{objects}.mp4");
        await SceneVideo.WriteAsync(spec, path, SceneVideoCodec.H264, "ffmpeg", CancellationToken.None);
        var renderer = new SceneRenderer(spec);
        return (path, [.. Enumerable.Range(1, objects).Select(id => renderer.CentreOf(0, id)).Select(c => ((float)c.X, (float)c.Y))]);
    }
}
