using EdgeSam2.Agent.Options;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Cameras;

internal static class CamerasServiceCollectionExtensions
{
    /// <summary>Registers one pipeline (a hosted loop) per configured camera.</summary>
    public static IServiceCollection AddAgentCameras(this IServiceCollection services, AgentOptions options)
    {
        services.AddSingleton<CameraRegistry>();
        for (var i = 0; i < options.Cameras.Count; i++)
        {
            var index = i;
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<CameraRegistry>().All[index]);
        }

        return services;
    }
}
