namespace EdgeSam2.Bench.Report;

/// <summary>p50/p95/p99/max of one latency series in milliseconds, over <see cref="Count"/> frames.</summary>
internal sealed record LatencySummary(int Count, double? P50, double? P95, double? P99, double? Max)
{
    public static LatencySummary Of(IReadOnlyList<double> ms) => new(
        ms.Count,
        Numbers.Round(Numbers.Percentile(ms, 0.50)),
        Numbers.Round(Numbers.Percentile(ms, 0.95)),
        Numbers.Round(Numbers.Percentile(ms, 0.99)),
        Numbers.Round(Numbers.Percentile(ms, 1.0)));
}
