using EdgeSam2.Scenes;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// One model set serves every camera: two cameras tracking at the same time on one set's sessions get exactly what
/// one camera gets alone, and once a stream's shapes have been seen no camera creates ORT values per frame.
/// </summary>
public sealed class SharedModelSetTests(TestModelSet models) : IClassFixture<TestModelSet>
{
    [Fact]
    public async Task Process_TwoCamerasConcurrentlyOnOneSet_BitIdenticalToOneCameraAlone()
    {
        var spec = StandardScenes.TwoTargets();
        var frames = Render(spec);
        var alone = Track(models.ScalarSet.CreateModel(), spec, frames);

        using var start = new Barrier(2);
        var cameraA = Task.Run(() => { start.SignalAndWait(); return Track(models.ScalarSet.CreateModel(), spec, frames); });
        var cameraB = Task.Run(() => { start.SignalAndWait(); return Track(models.ScalarSet.CreateModel(), spec, frames); });
        var results = await Task.WhenAll(cameraA, cameraB).WaitAsync(TimeSpan.FromMinutes(5));

        foreach (var camera in results)
        {
            Assert.Equal(alone.Count, camera.Count);
            for (var f = 0; f < alone.Count; f++)
            {
                Assert.True(alone[f].AsSpan().SequenceEqual(camera[f]), $"frame {f}: logits differ from the camera run alone");
            }
        }
    }

    [Fact]
    public void Process_SteadyState_CreatesNoOrtValuesPerFrame()
    {
        var spec = StandardScenes.TwoTargets();
        var frames = Render(spec);
        using var model = models.ScalarSet.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var created = new List<long>();
        for (var f = 0; f < frames.Length; f++)
        {
            IReadOnlyList<TrackerCommand> prompts = f == 0 ? Prompts(spec) : [];
            using var _ = tracker.Process(frames[f], spec.Width, spec.Height, f, DateTimeOffset.UnixEpoch.AddSeconds(f / spec.FramesPerSecond), prompts);
            created.Add(model.ValuesCreated);
        }

        // Once the pointer ring has filled (16 frames), every call reuses the values made for its shape.
        Assert.True(created[^1] == created[17], $"values created per frame: {string.Join(',', created)}");
        Assert.True(created[17] > 0);
    }

    private static byte[][] Render(SceneSpec spec)
    {
        var renderer = new SceneRenderer(spec);
        var frames = new byte[Math.Min(spec.FrameCount, 24)][];
        for (var i = 0; i < frames.Length; i++)
        {
            frames[i] = new byte[spec.FrameByteCount];
            renderer.RenderFrame(i, frames[i]);
        }

        return frames;
    }

    private static List<TrackerCommand> Prompts(SceneSpec spec)
    {
        var renderer = new SceneRenderer(spec);
        return spec.Objects.Select(o => (TrackerCommand)new PromptCommand(new ObjectPrompt
        {
            Points = [new PromptPoint((float)renderer.CentreOf(0, o.Id).X, (float)renderer.CentreOf(0, o.Id).Y, true)],
        })).ToList();
    }

    private static List<float[]> Track(Onnx.Sam2.OnnxSam2Model model, SceneSpec spec, byte[][] frames)
    {
        using (model)
        {
            var tracker = new Sam2Tracker(model, new TrackerOptions());
            var logits = new List<float[]>();
            for (var f = 0; f < frames.Length; f++)
            {
                IReadOnlyList<TrackerCommand> prompts = f == 0 ? Prompts(spec) : [];
                using var result = tracker.Process(frames[f], spec.Width, spec.Height, f, DateTimeOffset.UnixEpoch.AddSeconds(f / spec.FramesPerSecond), prompts);
                foreach (var o in result.Objects.OrderBy(o => o.ObjectId))
                {
                    logits.Add(o.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize).ToArray());
                }
            }

            return logits;
        }
    }
}
