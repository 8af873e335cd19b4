using EdgeSam2.Agent.Scheduling;
using EdgeSam2.Agent.Telemetry;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Agent.Tests.Scheduling;

/// <summary>
/// The per-frame timing around the graphs: waits and run times land in the right stage, and recording them (gate,
/// clock, interval figures, histograms) allocates nothing per frame. A do-nothing model stands in for ORT: pure logic.
/// </summary>
public sealed class StageTimingTests
{
    [Fact]
    public void ScheduledModel_EveryGraph_RunsInnerOnceAndTimesItsOwnStage()
    {
        var inner = new CountingModel();
        var model = new ScheduledSam2Model(inner, new InferenceGate(1));
        var features = new ImageFeatures(CountingModel.TinyInfo);

        model.EncodeImage(Array.Empty<float>(), features);
        var afterEncoder = (model.Clock.EncoderRequested, model.Clock.ImageEncoder, model.Clock.MaskDecoder);
        model.AttendMemory(new AttentionBatch(), features);
        model.DecodeMasks(new DecoderBatch(), features);
        model.EncodeMemory(new MemoryEncoderBatch(), features);

        Assert.Equal([1, 1, 1, 1], inner.Calls);
        Assert.NotEqual(0, afterEncoder.EncoderRequested);
        Assert.True(afterEncoder.ImageEncoder > 0);
        Assert.Equal(0, afterEncoder.MaskDecoder);
        Assert.True(model.Clock.MemoryAttention > 0 && model.Clock.MaskDecoder > 0 && model.Clock.MemoryEncoder > 0);
        Assert.Equal(model.Clock.ImageEncoder + model.Clock.MemoryAttention + model.Clock.MaskDecoder + model.Clock.MemoryEncoder, model.Clock.Graphs);

        model.Clock.Reset();
        Assert.Equal(0, model.Clock.Graphs + model.Clock.Wait + model.Clock.EncoderRequested);
    }

    [Fact]
    public void StageRecording_SteadyFrames_AllocatesNothing()
    {
        var model = new ScheduledSam2Model(new CountingModel(), new InferenceGate(1));
        var features = new ImageFeatures(CountingModel.TinyInfo);
        var (attention, decoder, memory) = (new AttentionBatch(), new DecoderBatch(), new MemoryEncoderBatch());
        var figures = new CameraFigures();
        void Frame()
        {
            model.Clock.Reset();
            model.EncodeImage(Array.Empty<float>(), features);
            model.AttendMemory(attention, features);
            model.DecodeMasks(decoder, features);
            model.EncodeMemory(memory, features);
            for (var stage = 0; stage < StageNames.CaptureToPublish; stage++)
            {
                figures.Add(stage, 1.5);
                PipelineMeter.Record("cam-alloc", stage, 1.5);
            }

            figures.Latency(12);
            figures.FrameTracked();
        }

        for (var i = 0; i < 50; i++)
        {
            Frame(); // warm: first-use statics and the histogram's per-tag state
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Frame();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void TakeInterval_RecordedFrames_PerFrameMeansPercentilesAndANewInterval()
    {
        var figures = new CameraFigures();
        for (var i = 1; i <= 100; i++)
        {
            figures.Add(StageNames.MaskDecoder, i % 2 == 0 ? 4 : 2);
            figures.Latency(i);
            figures.FrameTracked();
        }

        var interval = figures.TakeInterval();
        Assert.Equal(3, interval.StageMeans[StageNames.MaskDecoder], 6);
        Assert.Equal(50.5, interval.StageMeans[StageNames.CaptureToPublish], 6);
        Assert.Equal(0, interval.StageMeans[StageNames.ImageEncoder]);
        Assert.Equal(50, interval.LatencyP50);
        Assert.Equal(95, interval.LatencyP95);
        Assert.Equal(100, interval.LatencyMax);
        Assert.True(interval.ProcessedFps > 0);

        var next = figures.TakeInterval();
        Assert.Equal(0, next.LatencyMax);
        Assert.Equal(0, next.ProcessedFps);
        Assert.All(next.StageMeans, m => Assert.Equal(0, m));
    }

    /// <summary>Counts calls and spins briefly, so each timed run is longer than zero ticks.</summary>
    private sealed class CountingModel : ISam2Model
    {
        public static readonly Sam2ModelInfo TinyInfo = new()
        {
            InputSize = 16, FeatureChannels = 4, FeatureSize = 2, HighRes0Channels = 1, HighRes0Size = 4, HighRes1Channels = 1, HighRes1Size = 2,
            MemoryChannels = 2, LowResMaskSize = 4, MemorySlots = 7, MaxObjectPointers = 16, AttentionForm = MemoryAttentionForm.Scalar,
        };

        public int[] Calls { get; } = new int[4];

        public Sam2ModelInfo Info => TinyInfo;

        public string Provider => "none";

        public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features) => Run(0);

        public void DecodeMasks(DecoderBatch batch, ImageFeatures features) => Run(2);

        public void AttendMemory(AttentionBatch batch, ImageFeatures features) => Run(1);

        public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features) => Run(3);

        public void Dispose()
        {
        }

        private void Run(int graph)
        {
            Calls[graph]++;
            var start = System.Diagnostics.Stopwatch.GetTimestamp();
            while (System.Diagnostics.Stopwatch.GetTimestamp() == start)
            {
            }
        }
    }
}
