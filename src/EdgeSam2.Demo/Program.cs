using System.Runtime.InteropServices;
using EdgeSam2.Demo;

var options = DemoOptions.Parse(args, out var error);
if (options is null)
{
    var help = args.Contains("--help") || args.Contains("-h");
    (help ? Console.Out : Console.Error).WriteLine(error);
    return help ? 0 : 2;
}

var root = RepoRoot.Find();
if (root is null)
{
    Console.Error.WriteLine("demo: run it from inside the EdgeSam2 repository (no EdgeSam2.sln found above the working directory).");
    return 2;
}

// Ctrl+C or SIGTERM cancels the run; the run then stops the agent and mosquitto itself before exiting.
using var interrupted = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    interrupted.Cancel();
}

using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
var console = new DemoConsole(DemoRun.StepCount);
return await new DemoRun(options, root, console).RunAsync(interrupted.Token);
