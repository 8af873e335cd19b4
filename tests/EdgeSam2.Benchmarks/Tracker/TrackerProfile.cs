using System.Globalization;

namespace EdgeSam2.Benchmarks.Tracker;

/// <summary>
/// `--profile [frames]`: where one tracking frame's time goes, for every <see cref="TrackerCase"/>. The cases
/// run interleaved, one frame each in turn, so load from other processes on a shared machine spreads over all
/// of them alike and the ratios between cases stay meaningful even when absolute times drift.
/// </summary>
internal static class TrackerProfile
{
    // Enough calls for tiered JIT to promote the hot loops past tier 0 (30 calls), or host steps look slow.
    private const int WarmupFrames = 60;

    public static void Run(int frames, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture, $"EdgeSam2 tracker profile: {frames} frames per case after {WarmupFrames} warm-up frames, cases interleaved; test models (S=512), ORT intra-op threads {TrackerSession.OrtThreads}, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        var profiles = new List<CaseProfile>(TrackerCase.All.Count);
        try
        {
            foreach (var workload in TrackerCase.All)
            {
                profiles.Add(new CaseProfile(workload, frames));
            }

            for (var i = 0; i < WarmupFrames; i++)
            {
                foreach (var profile in profiles)
                {
                    profile.Warm();
                }
            }

            for (var f = 0; f < frames; f++)
            {
                foreach (var profile in profiles)
                {
                    profile.Measure();
                }
            }

            foreach (var profile in profiles)
            {
                profile.WriteSteps(output);
            }

            WriteSummary(profiles, output);
            output.WriteLine(string.Create(culture, $"load average at end: {LoadAverage()}"));
        }
        finally
        {
            foreach (var profile in profiles)
            {
                profile.Dispose();
            }
        }
    }

    private static void WriteSummary(List<CaseProfile> profiles, TextWriter output)
    {
        var culture = CultureInfo.InvariantCulture;
        output.WriteLine();
        output.WriteLine("| Case | Process mean ms | p50 ms | p95 ms | p50 vs 1 obj | p50 vs batched, scene-size frames | Process B/frame | agent post-process ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        var one = profiles[0].Median;
        foreach (var p in profiles)
        {
            var batched = profiles.Find(b => b.Case.Batched && !b.Case.ModelSizedFrames && b.Case.Objects == p.Case.Objects)!;
            output.WriteLine(string.Create(culture, $"| {p.Case} | {p.Mean:0.00} | {p.Median:0.00} | {p.P95:0.00} | {p.Median / one:0.00}x | {p.Median / batched.Median:0.00}x | {p.BytesPerFrame:0} | {p.PostMs:0.00} |"));
        }
    }

    private static string LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{fields[0]} {fields[1]} {fields[2]}";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
