namespace EdgeSam2.Demo.Session;

/// <summary>Where <see cref="AgentSession"/> reports what it sees besides tracks and replies. Called on the session's pump task.</summary>
/// <param name="Notice">A readable line about an event, a status change or availability.</param>
/// <param name="ContractProblem">Something the agent sent that the contract does not allow (unreadable JSON, an unsolicited reply).</param>
internal sealed record AgentSessionCallbacks(Action<string> Notice, Action<string> ContractProblem);
