using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Systemd;

/// <summary>
/// Registered last, so its start runs after the models loaded and the cameras started (MQTT connects in the
/// background and is not waited for): then it tells systemd
/// <c>READY=1</c>, pings <c>WATCHDOG=1</c> at half the watchdog interval, and says <c>STOPPING=1</c> when the stop begins.
/// </summary>
internal sealed class SystemdNotifyService(SystemdNotifier notifier, IHostApplicationLifetime lifetime, ILogger<SystemdNotifyService> logger) : BackgroundService
{
    private readonly TimeSpan? _watchdog = SystemdNotifier.WatchdogInterval();

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1"));
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
        notifier.Notify("READY=1\nSTATUS=models loaded, cameras started");
        Log.Ready(logger, _watchdog);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_watchdog is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                notifier.Notify("WATCHDOG=1");
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
