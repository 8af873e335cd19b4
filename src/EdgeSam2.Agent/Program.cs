using EdgeSam2.Agent;
using EdgeSam2.Agent.Models;

// `edgesam2 models warm|bench` prepares and measures a model set; anything else runs the agent.
return args is ["models", .. var rest]
    ? ModelsCommand.Run(rest)
    : await AgentHost.RunAsync(args).ConfigureAwait(false);
