using EdgeSam2.Benchmarks.Support;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// A tracker on the committed test models through real ONNX Runtime, following the first N of the 16 discs of
/// <see cref="StandardScenes.Crowd"/>. Objects are prompted with one positive click each at their centre on frame 0,
/// so every object is a distinct target (no two objects contest a pixel); afterwards every call to
/// <see cref="Next"/> is one steady-state tracking frame. The scene plays forwards and backwards (1…79…2, 1…)
/// so the targets never jump and the memory bank stays in its full, steady shape however long a benchmark runs.
/// </summary>
internal sealed class TrackerSession : IDisposable
{
    private static readonly TrackerCommand[] NoCommands = [];
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    // Rendered once per process: sessions only read them, and the profile keeps five sessions open at once.
    private static readonly Lazy<byte[][]> SceneFrames = new(RenderScene);

    private readonly Sam2ModelSet _set;
    private readonly ISam2Model _model;
    private readonly Sam2Tracker _tracker;
    private readonly byte[][] _frames;
    private readonly SceneSpec _spec;
    private readonly int _pixelWidth, _pixelHeight;
    private long _frameIndex;
    private int _step;

    public TrackerSession(TrackerCase workload)
    {
        _set = Sam2ModelSet.Load(RepoRoot.TestManifest, new SessionSettings { IntraOpThreads = OrtThreads });
        var onnx = _set.CreateModel();
        Timing = new TimingSam2Model(onnx);
        _model = workload.Batched ? Timing : new PerObjectSam2Model(Timing);
        _tracker = new Sam2Tracker(_model, new TrackerOptions());

        _spec = StandardScenes.Crowd();
        var renderer = new SceneRenderer(_spec);
        (_pixelWidth, _pixelHeight) = (_spec.Width, _spec.Height);
        _frames = SceneFrames.Value;
        if (workload.ModelSizedFrames)
        {
            (_pixelWidth, _pixelHeight) = (onnx.Info.InputSize, onnx.Info.InputSize);
            _frames = Squash(_frames, _spec.Width, _spec.Height, onnx.Info.InputSize);
        }

        Prompt(renderer, workload.Objects);
    }

    /// <summary>ORT intra-op threads: $EDGESAM2_BENCH_ORT_THREADS, default 1 (steadier on a shared two-core box).</summary>
    public static int OrtThreads =>
        int.TryParse(Environment.GetEnvironmentVariable("EDGESAM2_BENCH_ORT_THREADS"), out var threads) && threads > 0 ? threads : 1;

    /// <summary>The graph-call log of the most recent frames (call <see cref="TimingSam2Model.Reset"/> between frames).</summary>
    public TimingSam2Model Timing { get; }

    public int Width => _spec.Width;

    public int Height => _spec.Height;

    /// <summary>Observations that were not visible: the workload is only realistic while this stays 0.</summary>
    public long Invisible { get; private set; }

    /// <summary>Processes the next scene frame; the caller disposes the result.</summary>
    public TrackedFrame Next()
    {
        var period = 2 * (_frames.Length - 2);
        var s = _step++ % period;
        var sceneFrame = s < _frames.Length - 1 ? s + 1 : period + 1 - s;
        var index = ++_frameIndex;
        var result = _tracker.Process(_frames[sceneFrame], _pixelWidth, _pixelHeight, _spec.Width, _spec.Height, index, T0.AddSeconds(index / _spec.FramesPerSecond), NoCommands);
        foreach (var o in result.Objects)
        {
            Invisible += o.Visible ? 0 : 1;
        }

        return result;
    }

    public void Dispose()
    {
        _model.Dispose();
        _set.Dispose();
    }

    private static byte[][] RenderScene()
    {
        var renderer = new SceneRenderer(StandardScenes.Crowd());
        var frames = new byte[renderer.Spec.FrameCount][];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = renderer.RenderFrame(i);
        }

        return frames;
    }

    /// <summary>Nearest-neighbour squash to size×size: stands in for ffmpeg's scaler, which the agent uses.</summary>
    private static byte[][] Squash(byte[][] frames, int width, int height, int size)
    {
        var squashed = new byte[frames.Length][];
        for (var i = 0; i < frames.Length; i++)
        {
            var dst = squashed[i] = new byte[size * size * 3];
            for (var y = 0; y < size; y++)
            {
                var sy = y * height / size;
                for (var x = 0; x < size; x++)
                {
                    frames[i].AsSpan(((sy * width) + (x * width / size)) * 3, 3).CopyTo(dst.AsSpan(((y * size) + x) * 3, 3));
                }
            }
        }

        return squashed;
    }

    private void Prompt(SceneRenderer renderer, int objects)
    {
        var commands = new TrackerCommand[objects];
        for (var k = 0; k < objects; k++)
        {
            var centre = renderer.CentreOf(0, k + 1);
            commands[k] = new PromptCommand(new ObjectPrompt { Points = [new PromptPoint((float)centre.X, (float)centre.Y, true)] });
        }

        using var result = _tracker.Process(_frames[0], _pixelWidth, _pixelHeight, _spec.Width, _spec.Height, 0, T0, commands);
        foreach (var outcome in result.Outcomes)
        {
            if (!outcome.Succeeded)
            {
                throw new InvalidOperationException($"prompting the benchmark scene failed: {outcome.Field}: {outcome.Error}");
            }
        }

        if (_tracker.ObjectCount != objects)
        {
            throw new InvalidOperationException($"{objects} prompts made {_tracker.ObjectCount} objects");
        }
    }
}
