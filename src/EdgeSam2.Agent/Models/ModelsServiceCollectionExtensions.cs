using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Models;

internal static class ModelsServiceCollectionExtensions
{
    /// <summary>Registers the model catalog; it loads at start, before every service registered after it.</summary>
    public static IServiceCollection AddAgentModels(this IServiceCollection services)
    {
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ModelCatalog>());
        return services;
    }
}
