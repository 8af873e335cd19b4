using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Tracking.Tests.Tracker;

public sealed class Sam2TrackerTests
{
    private const int Width = 64, Height = 48;
    private static readonly byte[] Frame = new byte[Width * Height * 3];
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Process_NewObjectPrompt_DecodesOnVisionFeatsWithScaledPointsAndStoresConditioning()
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());

        using var frame = Step(tracker, 0, Prompt(new PromptBox(8, 12, 24, 36), new PromptPoint(16, 24, true), new PromptPoint(40, 6, false)));

        Assert.True(frame.Outcomes[0].Succeeded);
        Assert.Equal([1], frame.Outcomes[0].ObjectIds);
        Assert.Equal(["encode", "decode", "memory"], model.Calls.Select(c => c.Kind));
        var decode = model.Calls[1];
        Assert.Equal(1, decode.Extra); // image_embed = vision_feats
        // Frame 64×48 → input 32×32: x·0.5, y·(32/48); box corners first, then clicks.
        Assert.Equal([4, 8, 12, 24, 8, 16, 20, 4], decode.Coords);
        Assert.Equal([2, 3, 1, 0], decode.Labels);
        Assert.Equal(1, tracker.MemoryOf(1)!.ConditioningCount);
        Assert.Contains(frame.Events, e => e is { Kind: TrackEventKind.Created, ObjectId: 1 });
    }

    [Fact]
    public void Process_MaskPrompt_DecodesTheResizedMaskOnPixFeatAndStoresConditioning()
    {
        var model = new RecordingModel(masks: true);
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var pixels = new byte[Width * Height];
        for (var y = 12; y < 36; y++)
        {
            pixels.AsSpan((y * Width) + 16, 32).Fill(1);
        }

        using var frame = Step(tracker, 0, new PromptCommand(new ObjectPrompt { Mask = PromptMask.FromPixels(pixels, Width, Height) }));

        Assert.True(frame.Outcomes[0].Succeeded, frame.Outcomes[0].Error);
        Assert.Equal(["encode", "decode", "memory"], model.Calls.Select(c => c.Kind));
        var decode = model.Calls[1];
        Assert.Equal(2, decode.Extra); // image_embed = pix_feat: SAM 2 adds no no-memory embedding on this path
        Assert.Equal([0f, 0f], decode.Coords); // the padding point only
        Assert.Equal([-1f], decode.Labels);
        var (mask, has) = Assert.Single(model.MaskInputs);
        Assert.Equal([1f], has);
        // 64×48 → 32×32 (x·0.5, y·2/3): the 32×24 rectangle at (16, 12) becomes 16×16 at (8, 8).
        Assert.Equal(256, mask.Count(v => v == 1f));
        Assert.Equal((1f, 0f, 0f), (mask[(8 * 32) + 8], mask[(7 * 32) + 8], mask[(8 * 32) + 24]));
        Assert.Equal(1, tracker.MemoryOf(1)!.ConditioningCount);

        Step(tracker, 1).Dispose();
        Assert.Single(model.MaskInputs); // tracking frames pass no mask
    }

    [Theory]
    [InlineData(false, 64, 48, false, "no mask input")]
    [InlineData(true, 32, 48, false, "must be the frame's size, 64×48")]
    [InlineData(true, 64, 48, true, "cannot be combined with points")]
    public void Process_BadMaskPrompt_RefusedNamingMask(bool masks, int width, int height, bool withPoint, string text)
    {
        var model = new RecordingModel(masks: masks);
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var pixels = new byte[width * height];
        pixels.AsSpan(0, width * 8).Fill(1);
        var prompt = new ObjectPrompt { Mask = PromptMask.FromPixels(pixels, width, height), Points = withPoint ? [new PromptPoint(1, 1, true)] : [] };

        using var frame = Step(tracker, 0, new PromptCommand(prompt));

        Assert.False(frame.Outcomes[0].Succeeded);
        Assert.Equal("mask", frame.Outcomes[0].Field);
        Assert.Contains(text, frame.Outcomes[0].Error, StringComparison.Ordinal);
        Assert.Equal(0, tracker.ObjectCount);
        Assert.Empty(model.MaskInputs);
    }

    [Fact]
    public void Process_MaskPromptOnMultimaskSet_RefusedNamingWhy()
    {
        var model = new RecordingModel(masks: true, candidates: 3);
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        var pixels = new byte[Width * Height];
        pixels.AsSpan(0, Width * 8).Fill(1);

        using var frame = Step(tracker, 0, new PromptCommand(new ObjectPrompt { Mask = PromptMask.FromPixels(pixels, Width, Height) }));

        Assert.False(frame.Outcomes[0].Succeeded);
        Assert.Equal("mask", frame.Outcomes[0].Field);
        Assert.Contains("several candidates (multimask)", frame.Outcomes[0].Error, StringComparison.Ordinal);
        Assert.Equal(0, tracker.ObjectCount);
        Assert.Empty(model.MaskInputs);
    }

    [Theory]
    [InlineData("41202", "counts cover 12 pixels")] // a 3×4 mask's counts on the 64×48 frame
    [InlineData("0~", "outside '0'..'o'")]
    [InlineData("0PeQ3", "counts cover more than the 3072 pixels")] // 0 then 100000 set pixels
    [InlineData("PP3", "the mask is empty")] // one run of 3072 zeros
    public void Process_MaskPromptWithBadCounts_RefusedBeforeAnyDecode(string counts, string text)
    {
        var model = new RecordingModel(masks: true);
        var tracker = new Sam2Tracker(model, new TrackerOptions());

        using var frame = Step(tracker, 0, new PromptCommand(new ObjectPrompt { Mask = new PromptMask(counts, Width, Height) }));

        Assert.False(frame.Outcomes[0].Succeeded);
        Assert.Equal("mask", frame.Outcomes[0].Field);
        Assert.Contains(text, frame.Outcomes[0].Error, StringComparison.Ordinal);
        Assert.Equal(0, tracker.ObjectCount);
        Assert.Empty(model.MaskInputs);
    }

    [Fact]
    public void Process_TrackingFrame_AttendsThenDecodesPaddingPointThenWritesMemory()
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        model.Calls.Clear();

        using var frame = Step(tracker, 1);

        Assert.Equal(["encode", "attend", "decode", "memory"], model.Calls.Select(c => c.Kind));
        Assert.Equal((1, 1, 1f), (model.Calls[1].Memories, model.Calls[1].Points, model.Calls[1].Extra));
        Assert.Equal([0f, 0f], model.Calls[2].Coords);
        Assert.Equal([-1f], model.Calls[2].Labels);
        Assert.Equal(0, model.Calls[2].Extra); // decoded on the memory-conditioned embedding
        Assert.Equal(1, tracker.MemoryOf(1)!.RecentCount);
        Assert.Equal(ObjectState.Tracking, frame.Objects.Single().State);
    }

    [Theory]
    [InlineData(MemoryWritePolicy.QualityGated, 5f, 0.3f, 0)]
    [InlineData(MemoryWritePolicy.QualityGated, -2f, 0.9f, 0)]
    [InlineData(MemoryWritePolicy.QualityGated, 5f, 0.9f, 1)]
    [InlineData(MemoryWritePolicy.Reference, -2f, 0.1f, 1)]
    [InlineData(MemoryWritePolicy.Anchored, 5f, 0.3f, 0)]
    [InlineData(MemoryWritePolicy.Anchored, -2f, 0.9f, 1)]
    [InlineData(MemoryWritePolicy.Anchored, 5f, 0.9f, 1)]
    public void Process_MemoryPolicy_GatesWrites(MemoryWritePolicy policy, float score, float iou, int expectedRecent)
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions { Memory = new MemoryOptions { Policy = policy } });
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        (model.Score, model.Iou) = (score, iou);

        Step(tracker, 1).Dispose();

        Assert.Equal(expectedRecent, tracker.MemoryOf(1)!.RecentCount);
    }

    [Fact]
    public void Process_AnchoredLongAbsence_WritesMaxAbsentFramesThenKeepsTheLastGoodMemories()
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions { Memory = new MemoryOptions { MaxAbsentWrites = 2 } });
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        Step(tracker, 1).Dispose();
        model.TrackingScore = -2f;

        for (var f = 2; f <= 6; f++)
        {
            Step(tracker, f).Dispose();
        }

        using var last = Step(tracker, 7);

        var memory = tracker.MemoryOf(1)!;
        Assert.Equal(3, memory.RecentCount); // frame 1 (present), frames 2 and 3 (absent, as SAM 2 writes them)
        Assert.Equal((1L, 3L), (memory.Recent(0).Frame, memory.Recent(2).Frame));
        var observation = last.Objects.Single();
        Assert.Equal(4, observation.FramesSinceMemoryWrite);
        Assert.Equal((4, 10), (observation.MemoryFrames, observation.MemoryCapacity)); // 2 conditioning + 2 anchors + 6 recent

        model.TrackingScore = 5f; // visible again: written at once
        Step(tracker, 8).Dispose();
        Assert.Equal(8, memory.Recent(3).Frame);
    }

    [Theory]
    [InlineData(MemoryWritePolicy.Anchored, true)]
    [InlineData(MemoryWritePolicy.QualityGated, true)]
    [InlineData(MemoryWritePolicy.Reference, false)]
    public void Process_MaskBoxJumpsToThreeTimesItsArea_IsKeptOutOfMemoryAndFlagged(MemoryWritePolicy policy, bool rejected)
    {
        var model = new RecordingModel { PositiveRows = 2 };
        var tracker = new Sam2Tracker(model, new TrackerOptions { Memory = new MemoryOptions { Policy = policy } });
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        Step(tracker, 1).Dispose();
        Step(tracker, 2).Dispose();

        model.PositiveRows = 6; // the box triples: a mask spreading onto a look-alike
        using (var jump = Step(tracker, 3))
        {
            Assert.Equal(rejected, jump.Objects.Single().MaskRejected);
            Assert.Equal(rejected ? 1 : 0, jump.Objects.Single().FramesSinceMemoryWrite);
        }

        model.PositiveRows = 3; // back to its shape: written again
        using var back = Step(tracker, 4);
        Assert.False(back.Objects.Single().MaskRejected);
        Assert.Equal(rejected ? 3 : 4, tracker.MemoryOf(1)!.RecentCount);
    }

    [Fact]
    public void Process_SliverOfTheRememberedSize_IsKeptOutOfMemoryAndFlagged()
    {
        var model = new RecordingModel { PositiveRows = 8 };
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        Step(tracker, 1).Dispose();
        Step(tracker, 2).Dispose();

        model.PositiveRows = 1; // an eighth of the box: a sliver at an occluder's edge
        using (var sliver = Step(tracker, 3))
        {
            Assert.True(sliver.Objects.Single().MaskRejected);
            Assert.Equal(1, sliver.Objects.Single().FramesSinceMemoryWrite);
        }

        model.PositiveRows = 4; // half of it shows again: written
        using var back = Step(tracker, 4);
        Assert.False(back.Objects.Single().MaskRejected);
        Assert.Equal(3, tracker.MemoryOf(1)!.RecentCount);
    }

    [Fact]
    public void Process_MaskGrowsBackTowardsItsRememberedSize_IsNotAJump()
    {
        var model = new RecordingModel { PositiveRows = 8 };
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        Step(tracker, 1).Dispose();
        Step(tracker, 2).Dispose();
        model.PositiveRows = 3; // long partly hidden: the recent peak decays to this size
        for (var f = 3; f < 25; f++)
        {
            Step(tracker, f).Dispose();
        }

        model.PositiveRows = 6; // twice the recent peak, within the remembered size: coming out from behind
        using var grown = Step(tracker, 25);

        Assert.False(grown.Objects.Single().MaskRejected);
        Assert.Equal(0, grown.Objects.Single().FramesSinceMemoryWrite);
    }

    [Fact]
    public void Process_CorrectionOnTrackedObject_IsANewConditioningFrameDecodedWithoutMemory()
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        Step(tracker, 1).Dispose();
        model.Calls.Clear();

        using var frame = Step(tracker, 2, new PromptCommand(new ObjectPrompt { ObjectId = 1, Points = [new PromptPoint(20, 20, true)] }));

        // SAM 2: a click on a frame not yet tracked for the object is decoded like a first click (vision_feats, no
        // memory attention) and the object is not tracked again on that frame.
        Assert.Equal(["encode", "decode", "memory"], model.Calls.Select(c => c.Kind));
        Assert.Equal(1, model.Calls[1].Extra);
        var memory = tracker.MemoryOf(1)!;
        Assert.Equal((2, 1), (memory.ConditioningCount, memory.RecentCount));
        Assert.Equal(2, memory.NewestConditioning.Frame);
        Assert.Contains(frame.Events, e => e is { Kind: TrackEventKind.PromptApplied, ObjectId: 1 });
    }

    [Theory]
    [InlineData(MemoryAttentionForm.Scalar, 2)]
    [InlineData(MemoryAttentionForm.Offsets, 1)]
    public void Process_ObjectsPromptedOnDifferentFrames_GroupAttentionByFormAndBatchTheDecoder(MemoryAttentionForm form, int attentionCalls)
    {
        var model = new RecordingModel(form);
        var tracker = new Sam2Tracker(model, new TrackerOptions { Memory = new MemoryOptions { Policy = MemoryWritePolicy.QualityGated } });
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();
        // Frame 1: object 2 is prompted; object 1 is not seen, so (quality-gated) it writes no memory.
        model.TrackingScore = -1;
        Step(tracker, 1, Prompt(null, new PromptPoint(40, 30, true))).Dispose();
        model.TrackingScore = null;
        model.Calls.Clear();

        Step(tracker, 2).Dispose();

        // Both have one memory and one pointer; the scalar form still needs a call per conditioning distance (2 and 1).
        Assert.Equal(attentionCalls, model.Calls.Count(c => c.Kind == "attend"));
        Assert.Equal(2, model.Calls.Where(c => c.Kind == "attend").Sum(c => c.Batch));
        Assert.Equal(2, model.Calls.Single(c => c.Kind == "decode").Batch);
    }

    [Theory]
    [InlineData(70f, 10f, "points[0]", "outside the 64×48 frame")]
    [InlineData(-1f, 10f, "points[0]", "outside")]
    public void Process_PointOutsideFrame_FailsNamingThePointAndChangesNothing(float x, float y, string field, string message)
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());

        using var frame = Step(tracker, 0, Prompt(null, new PromptPoint(x, y, true)));

        var outcome = Assert.Single(frame.Outcomes);
        Assert.False(outcome.Succeeded);
        Assert.Equal(field, outcome.Field);
        Assert.Contains(message, outcome.Error);
        Assert.Equal(0, tracker.ObjectCount);
        Assert.DoesNotContain(model.Calls, c => c.Kind == "decode");
    }

    [Fact]
    public void Process_BadCommands_EachFailWithTheirFieldAndLeaveOtherObjectsAlone()
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions { MaxPromptPoints = 2 });
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true))).Dispose();

        using var frame = Step(
            tracker,
            1,
            Prompt(null, new PromptPoint(1, 1, true), new PromptPoint(2, 2, true), new PromptPoint(3, 3, true)),
            new PromptCommand(new ObjectPrompt { ObjectId = 9, RefineOnly = true, Points = [new PromptPoint(5, 5, true)] }),
            new RemoveCommand(42),
            Prompt(null, new PromptPoint(5, 5, false)),
            Prompt(new PromptBox(30, 30, 10, 40)));

        Assert.Equal(
            [("points", "at most 2"), ("object_id", "unknown object 9"), ("object_id", "unknown object 42"), ("points", "positive point"), ("box", "empty")],
            frame.Outcomes.Select(o => (o.Field!, Fragment(o))));
        Assert.All(frame.Outcomes, o => Assert.False(o.Succeeded));
        Assert.Equal([1], tracker.ObjectIds);
        Assert.Equal(ObjectState.Tracking, frame.Objects.Single().State);

        static string Fragment(CommandOutcome o) =>
            new[] { "at most 2", "unknown object 9", "unknown object 42", "positive point", "empty" }.First(f => o.Error!.Contains(f, StringComparison.Ordinal));
    }

    [Fact]
    public void Process_FirstObjectIdFromBeforeARestart_NewObjectsCountOnFromIt()
    {
        var tracker = new Sam2Tracker(new RecordingModel(), new TrackerOptions { FirstObjectId = 7 });

        using var frame = Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true)), Prompt(null, new PromptPoint(20, 20, true)));

        Assert.Equal([7], frame.Outcomes[0].ObjectIds);
        Assert.Equal([8], frame.Outcomes[1].ObjectIds);
        Assert.Equal(9, tracker.NextObjectId);
    }

    [Fact]
    public void Process_PromptThatFindsNothing_IsRefusedAndCreatesNoObject()
    {
        var model = new RecordingModel { Score = -3 };
        var tracker = new Sam2Tracker(model, new TrackerOptions());

        using var frame = Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true)));

        Assert.False(frame.Outcomes[0].Succeeded);
        Assert.Contains("nothing visible", frame.Outcomes[0].Error);
        Assert.Equal(0, tracker.ObjectCount);
    }

    [Fact]
    public void Process_HiddenThenVisible_WalksOccludedLostRecoveredAndRemovesAfterTimeout()
    {
        var model = new RecordingModel();
        var options = new TrackerOptions { LostAfter = TimeSpan.FromSeconds(2), RemoveAfter = TimeSpan.FromSeconds(5) };
        var tracker = new Sam2Tracker(model, options);
        var events = new List<TrackEventKind>();
        void Run(int second, float score)
        {
            model.Score = score;
            using var f = Step(tracker, second, second == 0 ? [Prompt(null, new PromptPoint(10, 10, true))] : []);
            events.AddRange(f.Events.Select(e => e.Kind));
        }

        Run(0, 5);
        Run(1, -1);  // occluded
        Run(2, 4);   // reappeared
        Run(3, -1);  // occluded
        Run(5, -1);  // lost (2 s hidden)
        Run(6, 3);   // recovered
        Run(7, -1);  // occluded
        Run(9, -1);  // lost
        Run(13, -1); // 6 s hidden: still lost
        Run(14, -1); // 7 s = lost after 2 s + remove after 5 s: removed

        Assert.Equal(
            [TrackEventKind.Created, TrackEventKind.Occluded, TrackEventKind.Reappeared, TrackEventKind.Occluded, TrackEventKind.Lost,
             TrackEventKind.Recovered, TrackEventKind.Occluded, TrackEventKind.Lost, TrackEventKind.Removed],
            events);
        Assert.Equal(0, tracker.ObjectCount);
    }

    [Fact]
    public void Process_RemoveAll_DropsEveryObjectAndReportsTheirIds()
    {
        var model = new RecordingModel();
        var tracker = new Sam2Tracker(model, new TrackerOptions());
        Step(tracker, 0, Prompt(null, new PromptPoint(10, 10, true)), Prompt(null, new PromptPoint(50, 40, true))).Dispose();

        using var frame = Step(tracker, 1, new RemoveCommand(null));

        Assert.Equal([1, 2], frame.Outcomes.Single().ObjectIds);
        Assert.Equal(2, frame.Events.Count(e => e.Kind == TrackEventKind.Removed));
        Assert.Empty(frame.Objects);
        Assert.Equal(0, tracker.ObjectCount);
    }

    [Fact]
    public void Process_FramePreparedAhead_EncodesThatInputInsteadOfNormalisingAgain()
    {
        var pixels = new byte[Width * Height * 3];
        new Random(7).NextBytes(pixels);
        var (own, ahead) = (new RecordingModel(), new RecordingModel());
        var (plain, prepared) = (new Sam2Tracker(own, new TrackerOptions()), new Sam2Tracker(ahead, new TrackerOptions()));
        Assert.True(prepared.PreparesOnHost);
        var image = new float[prepared.PreparedLength];
        prepared.PrepareFrame(pixels, Width, Height, image);

        using (plain.Process(pixels, Width, Height, Width, Height, 0, T0, [Prompt(null, new PromptPoint(16, 24, true))]))
        using (prepared.Process(new byte[Width * Height * 3], Width, Height, Width, Height, 0, T0, [Prompt(null, new PromptPoint(16, 24, true))], image))
        {
        }

        // The prepared input went to the encoder, not the (blank) pixels passed beside it, and it is what Process makes.
        Assert.Equal(own.Images.Single(), ahead.Images.Single());
        Assert.Contains(image, v => v != image[0]);
        Assert.Throws<ArgumentException>(() => prepared.Process(pixels, Width, Height, Width, Height, 1, T0, [], image.AsMemory(1)));
    }

    private static PromptCommand Prompt(PromptBox? box, params PromptPoint[] points) =>
        new(new ObjectPrompt { Box = box, Points = points });

    private static TrackedFrame Step(Sam2Tracker tracker, int second, params TrackerCommand[] commands) =>
        tracker.Process(Frame, Width, Height, second, T0.AddSeconds(second), commands);
}
