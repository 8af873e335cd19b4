using Microsoft.Extensions.DependencyInjection;

namespace EdgeSam2.Agent.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>Registers the liveness judge that the systemd watchdog and <c>/healthz</c> share.</summary>
    public static IServiceCollection AddAgentHealth(this IServiceCollection services)
    {
        services.AddSingleton<AgentHealth>();
        return services;
    }
}
