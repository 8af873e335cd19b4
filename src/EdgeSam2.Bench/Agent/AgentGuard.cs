using EdgeSam2.Demo.AgentProcess;

namespace EdgeSam2.Bench.Agent;

/// <summary>Awaits what the bench expects from the agent, failing clearly (with its log) when it exits first or time runs out.</summary>
internal sealed class AgentGuard(AgentChild agent)
{
    public async Task<T> ExpectAsync<T>(Task<T> task, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        await ExpectAsync((Task)task, timeout, what, cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    public async Task ExpectAsync(Task task, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        Task first;
        try
        {
            first = await Task.WhenAny(task, agent.Exited).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new BenchFailure($"timed out after {timeout.TotalSeconds:0} s waiting for {what}", agent.LogPath);
        }

        if (first != task)
        {
            throw new BenchFailure($"the agent exited with code {await agent.Exited.ConfigureAwait(false)} while the bench waited for {what}", agent.LogPath);
        }

        await task.ConfigureAwait(false);
    }
}
