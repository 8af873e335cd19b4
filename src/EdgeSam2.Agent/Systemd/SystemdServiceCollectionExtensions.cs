using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeSam2.Agent.Systemd;

internal static class SystemdServiceCollectionExtensions
{
    /// <summary>Registers systemd notification when <c>$NOTIFY_SOCKET</c> is set; register it after every other hosted service.</summary>
    public static IServiceCollection AddSystemdNotify(this IServiceCollection services)
    {
        if (SystemdNotifier.FromEnvironment() is { } notifier)
        {
            services.AddSingleton(notifier);
            services.AddSingleton<IHostedService, SystemdNotifyService>();
        }

        return services;
    }
}
