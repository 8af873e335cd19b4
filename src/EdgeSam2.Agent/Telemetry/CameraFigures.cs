using System.Diagnostics;

namespace EdgeSam2.Agent.Telemetry;

/// <summary>
/// One camera's figures over the current stats interval: frames tracked, the latency of each published frame, and
/// per-stage sums. Written by the frame loop and the publisher (a short lock per frame, no allocation), read and
/// reset by <c>{base}/stats</c> every interval (<see cref="TakeInterval"/>).
/// </summary>
internal sealed class CameraFigures
{
    // Enough for 10 s at 100 fps; beyond it the newest samples overwrite the oldest (percentiles of the latest ones).
    private const int LatencySamples = 1024;

    private readonly Lock _sync = new();
    private readonly double[] _sums = new double[StageNames.Count];
    private readonly long[] _counts = new long[StageNames.Count];
    private readonly double[] _latencies = new double[LatencySamples];
    private long _latencyCount;
    private long _frames;
    private long _intervalStarted = Stopwatch.GetTimestamp();

    // For /metrics, which scrapes at its own pace: a moving average over about the last 16 frames, never reset.
    private long _lastFrame;
    private double _meanIntervalSeconds;

    /// <summary>Adds one frame's duration of <paramref name="stage"/> (a <see cref="StageNames"/> index).</summary>
    public void Add(int stage, double milliseconds)
    {
        lock (_sync)
        {
            _sums[stage] += milliseconds;
            _counts[stage]++;
        }
    }

    /// <summary>Frames tracked per second lately (about the last 16 frames); 0 before two frames or after 5 s without one.</summary>
    public double RecentProcessedFps
    {
        get
        {
            lock (_sync)
            {
                var idle = _lastFrame == 0 || Stopwatch.GetElapsedTime(_lastFrame).TotalSeconds > 5;
                return idle || _meanIntervalSeconds <= 0 ? 0 : 1 / _meanIntervalSeconds;
            }
        }
    }

    /// <summary>One more frame tracked (the denominator of processed fps and of per-frame stage means).</summary>
    public void FrameTracked()
    {
        var now = Stopwatch.GetTimestamp();
        lock (_sync)
        {
            _frames++;
            if (_lastFrame != 0)
            {
                var interval = Stopwatch.GetElapsedTime(_lastFrame, now).TotalSeconds;
                _meanIntervalSeconds = _meanIntervalSeconds == 0 ? interval : _meanIntervalSeconds + ((interval - _meanIntervalSeconds) / 16);
            }

            _lastFrame = now;
        }
    }

    /// <summary>A published frame's capture-to-publish latency.</summary>
    public void Latency(double milliseconds)
    {
        lock (_sync)
        {
            _latencies[_latencyCount % LatencySamples] = milliseconds;
            _latencyCount++;
            _sums[StageNames.CaptureToPublish] += milliseconds;
            _counts[StageNames.CaptureToPublish]++;
        }
    }

    /// <summary>The interval's figures, and a new interval begins.</summary>
    public IntervalFigures TakeInterval()
    {
        var means = new double[StageNames.Count];
        double[] latencies;
        double seconds;
        long frames;
        lock (_sync)
        {
            var now = Stopwatch.GetTimestamp();
            seconds = Stopwatch.GetElapsedTime(_intervalStarted, now).TotalSeconds;
            _intervalStarted = now;
            frames = _frames;
            for (var i = 0; i < means.Length; i++)
            {
                // Every stage is added once per frame (zero when the frame skipped it), so this is a per-frame mean.
                means[i] = _counts[i] == 0 ? 0 : _sums[i] / _counts[i];
            }

            latencies = _latencies.AsSpan(0, (int)Math.Min(_latencyCount, LatencySamples)).ToArray();
            Array.Clear(_sums);
            Array.Clear(_counts);
            _latencyCount = 0;
            _frames = 0;
        }

        Array.Sort(latencies);
        return new IntervalFigures(
            seconds > 0 ? frames / seconds : 0,
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95),
            latencies.Length == 0 ? 0 : latencies[^1],
            means);
    }

    // Nearest rank: the smallest sample with at least p of the samples at or below it.
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

/// <summary>A camera's figures over one stats interval; stage means are per frame, indexed by <see cref="StageNames"/>.</summary>
internal sealed record IntervalFigures(double ProcessedFps, double LatencyP50, double LatencyP95, double LatencyMax, double[] StageMeans)
{
    public static IntervalFigures Empty { get; } = new(0, 0, 0, 0, new double[StageNames.Count]);
}
