using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Mqtt;

internal static class MqttServiceCollectionExtensions
{
    /// <summary>Registers the MQTT client, the command router and the connection service (which starts before the cameras).</summary>
    public static IServiceCollection AddAgentMqtt(this IServiceCollection services)
    {
        services.AddSingleton<AgentMqtt>();
        services.AddSingleton<CommandRouter>();
        services.AddSingleton<IHostedService, MqttConnectionService>();
        services.AddSingleton<IHostedService, StatsPublisher>();
        return services;
    }
}
