using BenchmarkDotNet.Running;
using EdgeSam2.Benchmarks.Tracker;

namespace EdgeSam2.Benchmarks;

internal static class Program
{
    /// <summary>
    /// BenchmarkDotNet's switcher (`--filter '*'`, `--list flat`, …), or `--profile [frames]`: the per-graph and
    /// per-host-step breakdown of one tracker frame, which BenchmarkDotNet cannot give; or `--soak`: the agent's
    /// memory over a long run (Soak/SoakCommand.cs); or `--wire [commands]`: tracks bytes per object per mask format and
    /// commands answered per second under a flood (Wire/WireBench.cs).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--soak")
        {
            return await Soak.SoakCommand.RunAsync(args, Console.Out).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "--wire")
        {
            return await Wire.WireBench.RunAsync(args, Console.Out).ConfigureAwait(false);
        }

        if (args.Length > 0 && args[0] == "--profile")
        {
            var frames = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 50;
            TrackerProfile.Run(frames, Console.Out);
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
