using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Health;

/// <summary>
/// The HTTP endpoint's lifetime: none of its own. The agent's host owns SIGTERM and systemd; a second console lifetime
/// would catch the same signals.
/// </summary>
internal sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
