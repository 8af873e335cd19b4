namespace EdgeSam2.Bench.Floor;

/// <summary>
/// One floor measurement: the four graphs run back to back by <c>edgesam2 models bench</c> at
/// <see cref="Objects"/> objects, same model set and providers as the agent.
/// </summary>
/// <param name="Objects">Objects per frame.</param>
/// <param name="GraphsMsPerFrame">Time inside the graphs per frame: the floor.</param>
/// <param name="GraphMsPerFrame">The same per graph, by graph name.</param>
/// <param name="Provider">The provider of each graph, as the model set reports it.</param>
/// <param name="CpuMsPerFrame">CPU time the floor's process used per timed frame, every thread; null from a build that does not print it.</param>
internal sealed record FloorResult(int Objects, double GraphsMsPerFrame, IReadOnlyDictionary<string, double> GraphMsPerFrame, string Provider, double? CpuMsPerFrame = null);
