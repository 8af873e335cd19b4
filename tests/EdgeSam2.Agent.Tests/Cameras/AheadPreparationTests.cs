using EdgeSam2.Agent.Cameras;
using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Imaging;
using EdgeSam2.Tracking.Tracker;
using EdgeSam2.Video;

namespace EdgeSam2.Agent.Tests.Cameras;

/// <summary>
/// The next frame's normalisation, prepared ahead: run once, by whoever claims it first (a pool thread, or the frame
/// loop when no pool thread has started it), with a real tracker on the test models.
/// </summary>
public sealed class AheadPreparationTests
{
    private const int Width = 64, Height = 48;

    [Fact]
    public void RunHereIfNotStarted_NoPoolThreadStarted_NormalisesOnTheCallerOnceAndThePoolEntryDoesNothing()
    {
        using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1 });
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        using var pool = new FramePool(1, Width * Height * 3);
        using var frame = Frame(pool, seed: 1);
        var image = new float[tracker.PreparedLength];
        var work = new AheadPreparation();

        work.Arm(tracker, frame, image); // as Start does, before its pool entry runs
        work.RunHereIfNotStarted();

        Assert.True(CompletedNow(work.Completion())); // done before anything awaits it
        Assert.Equal(Expected(frame, tracker), image);
        Array.Fill(image, float.NaN);
        ((IThreadPoolWorkItem)work).Execute(); // the pool entry, late
        Assert.All(image, v => Assert.True(float.IsNaN(v)));
    }

    [Fact]
    public async Task Start_PoolThreadRunsIt_CompletionGivesTheImageAndTheFrameLoopDoesNotRunItAgain()
    {
        using var set = Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1 });
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var work = new AheadPreparation();
        using var pool = new FramePool(1, Width * Height * 3);
        for (var seed = 1; seed <= 3; seed++) // reused frame after frame, as the frame loop does
        {
            using var frame = Frame(pool, seed);
            var image = new float[tracker.PreparedLength];

            work.Start(tracker, frame, image);
            await work.Completion().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

            Assert.Equal(Expected(frame, tracker), image);
            Array.Fill(image, float.NaN);
            work.RunHereIfNotStarted();
            Assert.All(image, v => Assert.True(float.IsNaN(v)));
            work.Release();
        }
    }

    private static bool CompletedNow(ValueTask completion)
    {
        var done = completion.IsCompletedSuccessfully;
        completion.GetAwaiter().GetResult(); // consumed once, as a ValueTask must be
        return done;
    }

    private static float[] Expected(VideoFrame frame, Sam2Tracker tracker)
    {
        var expected = new float[tracker.PreparedLength];
        var size = (int)Math.Sqrt(tracker.PreparedLength / 3);
        FrameNormalizer.ToModelInput(frame.Rgb24.Span, frame.Width, frame.Height, expected, size);
        return expected;
    }

    private static VideoFrame Frame(FramePool pool, int seed)
    {
        Assert.True(pool.TryRent(out var buffer));
        new Random(seed).NextBytes(buffer);
        return new VideoFrame(pool, buffer, seed, DateTimeOffset.UnixEpoch, Width, Height, Width, Height);
    }
}
