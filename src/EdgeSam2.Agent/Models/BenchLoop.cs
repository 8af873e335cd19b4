using System.Diagnostics;
using EdgeSam2.Tracking.Sam2;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// The minimal loop of <c>models bench</c> (the bench's floor): a tracker over the given frames, objects prompted on
/// frame 0 by one click each, frames handed over as the agent's camera pipeline hands them (model-sized pixels standing
/// for a source-sized frame), and nothing else around the graphs.
/// </summary>
internal static class BenchLoop
{
    /// <summary>
    /// Tracks frame 0 (the prompts) and <paramref name="warmup"/> frames untimed, then <paramref name="frames"/> timed
    /// frames; returns their wall time, the CPU time the process used over them (every thread: this one and the model's
    /// object threads) and the managed bytes it allocated over them (the tracker and the inference layer run on this
    /// thread and on the model's object threads; nothing else runs in <c>models bench</c>).
    /// A <see cref="GraphTimer"/> model records only the timed frames.
    /// </summary>
    public static (TimeSpan Wall, TimeSpan Cpu, long Allocated) Run(ISam2Model model, TrackerOptions options, BenchFrames scene, int frames, int warmup = 0)
    {
        var objects = scene.Clicks.Count;
        options.MaxObjects = Math.Max(objects, options.MaxObjects);
        var tracker = new Sam2Tracker(model, options);
        var prompts = new List<TrackerCommand>(objects);
        foreach (var (x, y) in scene.Clicks)
        {
            prompts.Add(new PromptCommand(new ObjectPrompt { Points = [new PromptPoint(x, y, true)] }));
        }

        var timer = model as GraphTimer;
        var (started, allocatedBefore, cpuBefore) = (0L, 0L, TimeSpan.Zero);
        for (var f = 0; f < 1 + warmup + frames; f++)
        {
            if (f == 1 + warmup)
            {
                started = Stopwatch.GetTimestamp();
                allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                cpuBefore = Environment.CpuUsage.TotalTime;
                timer?.Recording = true;
            }

            using var _ = tracker.Process(scene.Frame(f), scene.PixelSize, scene.PixelSize, scene.SourceWidth, scene.SourceHeight, f, DateTimeOffset.UnixEpoch.AddSeconds(f / 25.0), f == 0 ? prompts : []);
        }

        return (Stopwatch.GetElapsedTime(started), Environment.CpuUsage.TotalTime - cpuBefore, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
    }
}
