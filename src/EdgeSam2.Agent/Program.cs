using EdgeSam2.Agent;
using EdgeSam2.Agent.Models;

// `--version`, `--help`, and `models warm|bench` (prepare and measure a model set); anything else runs the agent.
switch (args)
{
    case ["--version"]:
        Console.WriteLine($"edgesam2 {AgentVersion.Text} (ONNX Runtime managed API {EdgeSam2.Onnx.Runtime.OrtRuntime.ManagedVersion.ToString(3)})");
        return ExitCodes.Ok;
    case ["--help" or "-h"]:
        Console.WriteLine(AgentHost.Usage);
        Console.WriteLine();
        Console.WriteLine(ModelsCommand.Usage);
        return ExitCodes.Ok;
    case ["models", .. var rest]:
        return ModelsCommand.Run(rest);
    default:
        return await AgentHost.RunAsync(args).ConfigureAwait(false);
}
