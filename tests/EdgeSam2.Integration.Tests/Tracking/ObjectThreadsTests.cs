using EdgeSam2.Onnx.Providers;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Scenes;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// A camera's per-object calls split across threads (Model:ObjectThreads) give what one thread gives: every output
/// row of every per-object graph, and a tracked scene's masks, on the real ONNX Runtime with the test models.
/// </summary>
public sealed class ObjectThreadsTests
{
    // Three shares of at least two objects on three threads: 3, 2 and 2 rows.
    private const int Objects = 7;

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("manifest.offsets.json")]
    public void PerObjectGraphs_SevenObjectsOnThreeThreads_SameRowsAsOneThread(string manifest)
    {
        using var one = Load(manifest, objectThreads: 1);
        using var three = Load(manifest, objectThreads: 3);
        using var whole = one.CreateModel();
        using var split = three.CreateModel();
        Assert.Equal((1, 3), (whole.ObjectThreads, split.ObjectThreads));
        var info = one.Info;
        var features = new ImageFeatures(info);
        var image = Random(3 * info.InputMaskLength, seed: 1);
        whole.EncodeImage(image, features);

        var (attentionA, attentionB) = (Attention(info, seed: 2), Attention(info, seed: 2));
        whole.AttendMemory(attentionA, features);
        split.AttendMemory(attentionB, features);
        AssertClose(attentionA.ImageEmbed, attentionB.ImageEmbed, "memory_attention image_embed");

        var (decoderA, decoderB) = (Decoder(info, attentionA.ImageEmbed), Decoder(info, attentionA.ImageEmbed));
        whole.DecodeMasks(decoderA, features);
        split.DecodeMasks(decoderB, features);
        AssertClose(decoderA.LowResMasks, decoderB.LowResMasks, "mask_decoder low-res masks");
        AssertClose(decoderA.MaskForMemory, decoderB.MaskForMemory, "mask_decoder mask_for_mem");
        AssertClose(decoderA.ObjectPointers, decoderB.ObjectPointers, "mask_decoder obj_ptr");
        AssertClose(decoderA.Iou, decoderB.Iou, "mask_decoder iou");
        AssertClose(decoderA.ObjectScores, decoderB.ObjectScores, "mask_decoder object scores");

        var (memoryA, memoryB) = (MemoryEncoder(info, decoderA), MemoryEncoder(info, decoderA));
        whole.EncodeMemory(memoryA, features);
        split.EncodeMemory(memoryB, features);
        AssertClose(memoryA.Features, memoryB.Features, "memory_encoder features");
        AssertClose(memoryA.PositionEncoding, memoryB.PositionEncoding, "memory_encoder position encoding");
        AssertClose(memoryA.TemporalCode, memoryB.TemporalCode, "memory_encoder temporal code");
        // A split call counts once, as the calling thread saw it; two shares of each of the three calls were split off
        // for the workers, each run by its worker or, when it had not begun by the caller's join, by the caller.
        Assert.Equal((1L, 1L, 1L), (split.GraphTime(1).Runs, split.GraphTime(2).Runs, split.GraphTime(3).Runs));
        Assert.Equal(6, split.SharesRunByWorkers + split.SharesRunByCaller);
    }

    [Fact]
    public void DecodeMasks_AShareFails_TheCallerGetsTheErrorAndTheModelStillWorks()
    {
        using var set = Load("manifest.json", objectThreads: 2);
        using var model = set.CreateModel();
        var info = set.Info;
        var features = new ImageFeatures(info);
        model.EncodeImage(Random(3 * info.InputMaskLength, seed: 1), features);
        // Rows one float short of an image embedding: every share's tensor is too small for its shape, on each thread.
        var bad = Decoder(info, Random(Objects * (info.FeatureLength - 1), seed: 4));

        Assert.ThrowsAny<Exception>(() => model.DecodeMasks(bad, features));

        var good = Decoder(info, Random(Objects * info.FeatureLength, seed: 4));
        model.DecodeMasks(good, features);
        Assert.All(good.Iou.ToArray(), iou => Assert.True(float.IsFinite(iou)));
    }

    [Fact]
    public void Tracker_FiveDiscsOnTwoThreads_SameLogitsAsOneThread()
    {
        var crowd = StandardScenes.Crowd();
        var spec = crowd with { Objects = [.. crowd.Objects.Take(5)] };
        using var one = Load("manifest.json", objectThreads: 1);
        using var two = Load("manifest.json", objectThreads: 2);
        var a = Track(one, spec, out _, out _);
        var b = Track(two, spec, out var sharesSplit, out var sharesOnWorkers);

        Assert.True(sharesSplit > 0, "no call was split");
        Assert.True(sharesOnWorkers > 0, "no share ran on a worker's thread"); // each is claimed by the worker or the caller

        Assert.Equal(a.Count, b.Count);
        for (var f = 0; f < a.Count; f++)
        {
            AssertClose(a[f], b[f], $"object row {f}: low-res logits");
        }
    }

    [Fact]
    public void Load_MoreThreadsThanTheLargestCallCanUse_OnlyThoseMade()
    {
        using var set = Sam2ModelSet.Load(
            Path.Combine(RepoPaths.TestModels, "manifest.json"), new SessionSettings { IntraOpThreads = 1, ObjectThreads = 8 }, new Sam2Limits { MaxObjects = 5 });
        using var model = set.CreateModel();

        Assert.Equal((2, 2), (set.ObjectThreads, model.ObjectThreads));
    }

    private static Sam2ModelSet Load(string manifest, int objectThreads) =>
        Sam2ModelSet.Load(Path.Combine(RepoPaths.TestModels, manifest), new SessionSettings { IntraOpThreads = 1, ObjectThreads = objectThreads });

    private static List<float[]> Track(Sam2ModelSet set, SceneSpec spec, out long sharesSplit, out long sharesOnWorkers)
    {
        using var model = set.CreateModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var renderer = new SceneRenderer(spec);
        var frame = new byte[spec.FrameByteCount];
        var logits = new List<float[]>();
        for (var f = 0; f < Math.Min(spec.FrameCount, 16); f++)
        {
            renderer.RenderFrame(f, frame);
            IReadOnlyList<TrackerCommand> prompts = f == 0
                ? spec.Objects.Select(o => (TrackerCommand)new PromptCommand(new ObjectPrompt
                {
                    Points = [new PromptPoint((float)renderer.CentreOf(0, o.Id).X, (float)renderer.CentreOf(0, o.Id).Y, true)],
                })).ToList()
                : [];
            using var result = tracker.Process(frame, spec.Width, spec.Height, f, DateTimeOffset.UnixEpoch.AddSeconds(f / spec.FramesPerSecond), prompts);
            foreach (var o in result.Objects.OrderBy(o => o.ObjectId))
            {
                logits.Add(o.LowResLogits.AsSpan(0, result.LowResSize * result.LowResSize).ToArray());
            }
        }

        sharesSplit = model.SharesRunByWorkers + model.SharesRunByCaller;
        sharesOnWorkers = model.SharesRunByWorkers;
        return logits;
    }

    private static AttentionBatch Attention(Sam2ModelInfo info, int seed)
    {
        const int memories = 2, pointers = 3;
        return new AttentionBatch
        {
            Batch = Objects,
            Memories = memories,
            Pointers = pointers,
            Memory0 = Random(Objects * pointers * info.FeatureChannels, seed),
            Memory1 = Random(Objects * memories * info.MemoryFeatureLength, seed + 1),
            MemoryPosEmbed = Random(Objects * info.PositionRows(memories, pointers) * info.MemoryChannels, seed + 2),
            CondFrameDistance = 3,
            PointerOffsets = Enumerable.Range(0, Objects * pointers).Select(i => (float)(i % pointers + 1)).ToArray(),
            ImageEmbed = new float[Objects * info.FeatureLength],
        };
    }

    private static DecoderBatch Decoder(Sam2ModelInfo info, Memory<float> embed) => new()
    {
        Batch = Objects,
        Points = 1,
        PointCoords = Enumerable.Range(0, Objects * 2).Select(i => 40f + (37 * i % info.InputSize)).ToArray(),
        PointLabels = Enumerable.Repeat(1f, Objects).ToArray(),
        ImageEmbed = embed,
        ObjectPointers = new float[Objects * info.FeatureChannels],
        MaskForMemory = new float[Objects * info.InputMaskLength],
        LowResMasks = new float[Objects * info.LowResMaskLength],
        Iou = new float[Objects],
        ObjectScores = new float[Objects],
    };

    private static MemoryEncoderBatch MemoryEncoder(Sam2ModelInfo info, DecoderBatch decoded) => new()
    {
        Batch = Objects,
        MaskForMemory = decoded.MaskForMemory.ToArray(),
        ObjectScores = decoded.ObjectScores.ToArray(),
        Features = new float[Objects * info.MemoryFeatureLength],
        PositionEncoding = new float[Objects * info.MemoryTokens * info.MemoryChannels],
        TemporalCode = new float[info.MemorySlots * info.MemoryChannels],
    };

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>Equal to float noise: a share runs the same kernels on fewer rows.</summary>
    private static void AssertClose(Memory<float> expected, Memory<float> actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var e = expected.Span;
        var a = actual.Span;
        var worst = 0f;
        for (var i = 0; i < e.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(e[i] - a[i]) / Math.Max(1f, Math.Abs(e[i])));
        }

        Assert.True(worst <= 1e-5f, $"{what}: largest difference {worst:G3}");
        Assert.False(e.SequenceEqual(new float[e.Length]), $"{what}: all zeros, nothing was computed");
    }
}
