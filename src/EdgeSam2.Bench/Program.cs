using System.Runtime.InteropServices;
using EdgeSam2.Bench;

// `make bench`: see BenchOptions.Usage. Exit 0 when the report was written (targets missed are in the report, not
// the exit code: speed is reported, never asserted), 1 when the run failed, 2 on bad arguments, 130 on Ctrl+C.
var options = BenchOptions.Parse(args, out var error);
if (options is null)
{
    var help = args.Contains("--help") || args.Contains("-h");
    (help ? Console.Out : Console.Error).WriteLine(error);
    return help ? 0 : 2;
}

var root = EdgeSam2.Demo.RepoRoot.Find();
if (root is null)
{
    Console.Error.WriteLine("bench: run it from inside the EdgeSam2 repository (no EdgeSam2.sln found above the working directory).");
    return 2;
}

// Read before the run, so a path that is wrong fails now rather than after a quarter of an hour of bench.
EdgeSam2.Bench.Report.BenchReport? earlier = null;
if (options.Compare is { } comparePath && (earlier = EdgeSam2.Bench.Report.RunComparison.Read(comparePath, out var compareError)) is null)
{
    Console.Error.WriteLine($"bench: --compare: {compareError}");
    return 2;
}

using var interrupted = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}

using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
var run = new BenchRun(BenchSettings.From(options, root), Console.Out);
try
{
    var report = EdgeSam2.Bench.Report.RunComparison.Attach(await run.RunAsync(interrupted.Token), earlier, options.Compare);
    var (json, markdown) = await run.WriteAsync(report, interrupted.Token);
    Console.WriteLine($"report: {markdown} and {json}");
    foreach (var target in report.Targets)
    {
        Console.WriteLine($"target   {target.Verdict,-12} {target.Target}: {target.Value} (limit {target.Limit})");
    }

    return 0;
}
catch (BenchFailure failure)
{
    Console.Error.WriteLine($"bench: {failure.Message}{(failure.LogPath is { } log ? $" (agent log: {log})" : "")}");
    return 1;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    Console.Error.WriteLine("bench: interrupted; the agent and mosquitto have been stopped.");
    return 130;
}
