using EdgeSam2.Agent.Options;
using EdgeSam2.Agent.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Health;

internal static class HealthServiceCollectionExtensions
{
    /// <summary>
    /// Registers the liveness judge that the systemd watchdog and <c>/healthz</c> share and, unless
    /// <c>Health:HttpEnabled</c> is false, the metrics and the HTTP endpoint. Register it after the cameras.
    /// </summary>
    public static IServiceCollection AddAgentHealth(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton<AgentHealth>();
        if (options.Health.HttpEnabled)
        {
            services.AddMetrics();
            services.AddSingleton<AgentMetrics>();
            services.AddSingleton<HealthHttpServer>();
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<HealthHttpServer>());
        }

        return services;
    }
}
