using System.Text.Json;

namespace EdgeSam2.Bench.Report;

/// <summary>
/// The check as it is worded: two bench runs on the same machine agree on every ratio within 10 %. Sets this
/// run's ratios (agent/floor, the agent's and the floor's cost against one object, per object count) against those of
/// an earlier report.json (<c>--compare</c>; <c>make bench</c> passes the report it is about to replace).
/// </summary>
internal static class RunComparison
{
    /// <summary>The earlier report, or null with <paramref name="error"/> saying why it cannot be read.</summary>
    public static BenchReport? Read(string path, out string error)
    {
        try
        {
            var report = JsonSerializer.Deserialize(File.ReadAllBytes(path), ReportJson.Default.BenchReport);
            error = report is null ? $"{path} holds no report" : "";
            return report;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            error = $"{path} cannot be read as a bench report.json: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// <paramref name="report"/> with its comparison against <paramref name="earlier"/> (read from
    /// <paramref name="earlierPath"/>) and the target it decides; without an earlier report, the target not measured.
    /// </summary>
    public static BenchReport Attach(BenchReport report, BenchReport? earlier, string? earlierPath)
    {
        var agreement = earlier is null ? null : Compare(earlier, report, earlierPath ?? "");
        return report with { Comparison = agreement, Targets = [.. report.Targets, TargetCheck.Agreement(agreement)] };
    }

    /// <summary>
    /// Every ratio both runs measured, per object count (the 1-camera H.264 cases); the difference is
    /// (max − min) ÷ their mean, the Reproducibility table's spread for two runs.
    /// </summary>
    public static RunAgreement Compare(BenchReport earlier, BenchReport now, string earlierPath)
    {
        var rows = new List<RatioComparison>();
        foreach (var row in ObjectRows(now))
        {
            var before = ObjectRows(earlier).FirstOrDefault(r => r.Objects == row.Objects);
            if (before is null)
            {
                continue;
            }

            Add(rows, "agent/floor", row.Objects, before.AgentOverFloor, row.AgentOverFloor);
            if (row.Objects != 1)
            {
                Add(rows, "agent cost vs 1 object", row.Objects, before.CostVsOneObject, row.CostVsOneObject);
                Add(rows, "floor cost vs 1 object", row.Objects, FloorCost(earlier, row.Objects), FloorCost(now, row.Objects));
            }
        }

        return new RunAgreement(
            earlierPath, earlier.StartedAt, earlier.Build.Commit, earlier.Kind, earlier.Model.Name, rows, rows.Count > 0 && rows.All(r => r.WithinTenPercent));
    }

    private static IEnumerable<ThroughputRow> ObjectRows(BenchReport report) =>
        report.Throughput.Where(r => r.Cameras == 1 && r.Codec == "H.264");

    /// <summary>The floor's mean frame time at <paramref name="objects"/> over its mean at one object, in one report.</summary>
    private static double? FloorCost(BenchReport report, int objects)
    {
        var one = report.Floor.FirstOrDefault(f => f.Objects == 1)?.MeanMs;
        var n = report.Floor.FirstOrDefault(f => f.Objects == objects)?.MeanMs;
        return one is > 0 && n is { } ms ? ms / one : null;
    }

    private static void Add(List<RatioComparison> rows, string ratio, int objects, double? earlier, double? now)
    {
        if (earlier is not { } a || now is not { } b || !double.IsFinite(a) || !double.IsFinite(b) || a + b <= 0)
        {
            return;
        }

        var difference = Math.Abs(a - b) / ((a + b) / 2);
        rows.Add(new RatioComparison(ratio, objects, Math.Round(a, 3), Math.Round(b, 3), Math.Round(difference * 100, 1), difference <= Reproducibility.Tolerance));
    }
}
