using System.Diagnostics;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Agent.Scheduling;

/// <summary>
/// A camera's model behind the shared <see cref="InferenceGate"/>: every graph run waits for its turn, and the time
/// spent waiting and running each graph is added to <see cref="Clock"/> for the frame in progress. Runs on the
/// camera's tracking thread only; the frame loop reads and resets the clock between frames.
/// </summary>
internal sealed class ScheduledSam2Model(ISam2Model inner, InferenceGate gate) : ISam2Model
{
    private readonly InferenceGate.Turn _turn = gate.CreateTurn();

    /// <summary>The frame in progress: waits and graph times, in <see cref="Stopwatch"/> ticks.</summary>
    public FrameStageClock Clock { get; } = new();

    public Sam2ModelInfo Info => inner.Info;

    public string Provider => inner.Provider;

    public bool PreparesFrames => inner.PreparesFrames;

    public void EncodeImage(ReadOnlyMemory<float> image, ImageFeatures features)
    {
        var started = EnterEncoder();
        try
        {
            inner.EncodeImage(image, features);
        }
        finally
        {
            Clock.ImageEncoder += Exit(started);
        }
    }

    /// <summary>The preparation graph runs inside the encoder's turn and counts as encoder time.</summary>
    public void EncodeFrame(ReadOnlySpan<byte> rgb24, int width, int height, ImageFeatures features)
    {
        var started = EnterEncoder();
        try
        {
            inner.EncodeFrame(rgb24, width, height, features);
        }
        finally
        {
            Clock.ImageEncoder += Exit(started);
        }
    }

    public void DecodeMasks(DecoderBatch batch, ImageFeatures features)
    {
        Enter();
        var started = Stopwatch.GetTimestamp();
        try
        {
            inner.DecodeMasks(batch, features);
        }
        finally
        {
            Clock.MaskDecoder += Exit(started);
        }
    }

    public void AttendMemory(AttentionBatch batch, ImageFeatures features)
    {
        Enter();
        var started = Stopwatch.GetTimestamp();
        try
        {
            inner.AttendMemory(batch, features);
        }
        finally
        {
            Clock.MemoryAttention += Exit(started);
        }
    }

    public void EncodeMemory(MemoryEncoderBatch batch, ImageFeatures features)
    {
        Enter();
        var started = Stopwatch.GetTimestamp();
        try
        {
            inner.EncodeMemory(batch, features);
        }
        finally
        {
            Clock.MemoryEncoder += Exit(started);
        }
    }

    /// <summary>The inner model belongs to the model catalog, which disposes it.</summary>
    public void Dispose()
    {
    }

    private long EnterEncoder()
    {
        var requested = Enter();
        if (Clock.EncoderRequested == 0)
        {
            Clock.EncoderRequested = requested;
        }

        return Stopwatch.GetTimestamp();
    }

    private long Enter()
    {
        var requested = Stopwatch.GetTimestamp();
        _turn.Enter();
        Clock.Wait += Stopwatch.GetTimestamp() - requested;
        return requested;
    }

    private long Exit(long started)
    {
        var ran = Stopwatch.GetTimestamp() - started;
        _turn.Exit();
        return ran;
    }
}

/// <summary>One frame's scheduler waits and graph run times in <see cref="Stopwatch"/> ticks; reset per frame, never reallocated.</summary>
internal sealed class FrameStageClock
{
    /// <summary>When the frame's image encoder was asked for; 0 when the frame ran no graph (nothing to track).</summary>
    public long EncoderRequested { get; set; }

    public long Wait { get; set; }

    public long ImageEncoder { get; set; }

    public long MemoryAttention { get; set; }

    public long MaskDecoder { get; set; }

    public long MemoryEncoder { get; set; }

    /// <summary>Every graph's run time together.</summary>
    public long Graphs => ImageEncoder + MemoryAttention + MaskDecoder + MemoryEncoder;

    public void Reset()
    {
        EncoderRequested = 0;
        Wait = 0;
        ImageEncoder = 0;
        MemoryAttention = 0;
        MaskDecoder = 0;
        MemoryEncoder = 0;
    }
}
