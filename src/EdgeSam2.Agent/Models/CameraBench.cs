using System.Diagnostics;
using EdgeSam2.Agent.Scheduling;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Tracking.Memory;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Models;

/// <summary>
/// <c>edgesam2 models bench --cameras 1,2,4</c>: N cameras on the one shared model set, as the agent runs them (each
/// on its own thread, every graph run through the same <see cref="InferenceGate"/>), frames back to back. Per camera:
/// frames/s and the latency of a frame through the tracker (p50/p95/max, scheduler waits included), and the mean wait.
/// </summary>
internal static class CameraBench
{
    /// <summary>Runs each camera count in turn; camera i tracks <c>objects[i % objects.Length]</c> objects.</summary>
    public static void Run(Sam2ModelSet set, int concurrentRuns, int[] cameraCounts, int[] objects, int frames, int warmup = 5)
    {
        Console.WriteLine($"cameras  (objects per camera: {string.Join(",", objects)}, cycling; {frames} timed frames back to back; {concurrentRuns} graph run(s) at a time)");
        Console.WriteLine("cameras  camera  objects  frames/s  latency ms p50 / p95 / max      wait ms/frame  | all cameras frames/s");
        foreach (var count in cameraCounts)
        {
            var gate = new InferenceGate(concurrentRuns);
            var results = new CameraResult[count];
            using var start = new Barrier(count + 1);
            var threads = new Thread[count];
            for (var c = 0; c < count; c++)
            {
                var index = c;
                var cameraObjects = objects[c % objects.Length];
                threads[c] = new Thread(() => results[index] = RunCamera(set, gate, cameraObjects, frames, warmup, start)) { Name = $"bench camera {c}", IsBackground = true };
                threads[c].Start();
            }

            start.SignalAndWait(); // every camera warmed up: the timed frames start together
            var wall = Stopwatch.StartNew();
            foreach (var thread in threads)
            {
                thread.Join();
            }

            var total = count * frames / wall.Elapsed.TotalSeconds;
            for (var c = 0; c < count; c++)
            {
                var r = results[c];
                Array.Sort(r.LatencyMs);
                var all = c == 0 ? $"| {total,8:0.0}" : "|";
                Console.WriteLine(
                    $"{count,7}  {c,6}  {objects[c % objects.Length],7}  {frames / r.Wall.TotalSeconds,8:0.0}  {Percentile(r.LatencyMs, 0.50),8:0.00} / {Percentile(r.LatencyMs, 0.95),7:0.00} / {r.LatencyMs[^1],7:0.00}    {r.WaitMs / frames,12:0.00}  {all}");
            }
        }
    }

    private static CameraResult RunCamera(Sam2ModelSet set, InferenceGate gate, int objects, int frames, int warmup, Barrier start)
    {
        using var model = set.CreateModel();
        var scheduled = new ScheduledSam2Model(model, gate);
        var size = set.Info.InputSize;
        var tracker = new Sam2Tracker(scheduled, new TrackerOptions { MaxObjects = objects, Memory = new MemoryOptions { Policy = MemoryWritePolicy.Reference } });
        var frame = SyntheticScene.Frame(size, objects);
        var prompts = new List<TrackerCommand>(objects);
        for (var i = 0; i < objects; i++)
        {
            var (x, y) = SyntheticScene.Centre(size, objects, i);
            prompts.Add(new PromptCommand(new ObjectPrompt { Points = [new PromptPoint(x, y, true)] }));
        }

        for (var f = 0; f < 1 + warmup; f++)
        {
            using var _ = tracker.Process(frame, size, size, f, DateTimeOffset.UnixEpoch.AddSeconds(f / 25.0), f == 0 ? prompts : []);
        }

        var latencies = new double[frames];
        var waitTicks = 0L;
        start.SignalAndWait();
        var started = Stopwatch.GetTimestamp();
        for (var f = 0; f < frames; f++)
        {
            var index = 1 + warmup + f;
            var t0 = Stopwatch.GetTimestamp();
            scheduled.Clock.Reset();
            using (tracker.Process(frame, size, size, index, DateTimeOffset.UnixEpoch.AddSeconds(index / 25.0), []))
            {
            }

            latencies[f] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            waitTicks += scheduled.Clock.Wait;
        }

        return new CameraResult(Stopwatch.GetElapsedTime(started), latencies, waitTicks * 1000.0 / Stopwatch.Frequency);
    }

    private static double Percentile(double[] sorted, double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed record CameraResult(TimeSpan Wall, double[] LatencyMs, double WaitMs);
}
