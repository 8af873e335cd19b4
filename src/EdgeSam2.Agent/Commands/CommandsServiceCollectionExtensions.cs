using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Commands;

internal static class CommandsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the command plane: counters, the reply queue (a hosted service: registered after MQTT, so it stops
    /// before MQTT disconnects and its last replies still go out) and the counters' publisher.
    /// </summary>
    public static IServiceCollection AddCommandPlane(this IServiceCollection services)
    {
        services.AddSingleton<CommandStats>();
        services.AddSingleton<ReplyQueue>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ReplyQueue>());
        services.AddSingleton<CommandPlane>();
        services.AddSingleton<IHostedService, CommandStatsService>();
        return services;
    }
}
