using EdgeSam2.Agent;

return await AgentHost.RunAsync(args).ConfigureAwait(false);
