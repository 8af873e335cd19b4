using System.Globalization;
using EdgeSam2.Agent.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Systemd;

internal static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// systemd's notify protocol through Microsoft.Extensions.Hosting.Systemd: <c>READY=1</c> once every hosted service
    /// has started (models loaded, cameras started), <c>STOPPING=1</c> when the stop begins, SIGTERM as the stop
    /// signal; and <see cref="SystemdWatchdog"/> when systemd asks for a watchdog. Register it after the other features.
    /// </summary>
    public static IServiceCollection AddAgentSystemd(this IServiceCollection services)
    {
        services.AddSystemd();
        var notifySocket = Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 };
        if (!SystemdHelpers.IsSystemdService() && notifySocket)
        {
            // AddSystemd only trusts a parent process named systemd (or PID 1 in a container). A supervisor that hands
            // us a NOTIFY_SOCKET from elsewhere (systemd-run --scope, a test) speaks the same protocol: answer it.
            services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
            services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        if ((SystemdHelpers.IsSystemdService() || notifySocket) && WatchdogInterval() is { } interval)
        {
            services.AddSingleton<IHostedService>(sp => new SystemdWatchdog(
                sp.GetRequiredService<ISystemdNotifier>(),
                sp.GetRequiredService<AgentHealth>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<SystemdWatchdog>>(),
                interval));
        }

        return services;
    }

    /// <summary><c>$WATCHDOG_USEC</c>, when it is meant for this process (<c>$WATCHDOG_PID</c> absent or ours).</summary>
    private static TimeSpan? WatchdogInterval()
    {
        if (Environment.GetEnvironmentVariable("WATCHDOG_PID") is { Length: > 0 } pid
            && pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return null;
        }

        return long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec)
            : null;
    }
}
