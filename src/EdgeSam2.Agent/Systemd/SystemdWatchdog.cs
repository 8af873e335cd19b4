using EdgeSam2.Agent.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Systemd;

/// <summary>
/// Feeds systemd's watchdog (<c>WATCHDOG=1</c>) twice per <c>WatchdogSec</c>, but only while every camera's pipeline
/// makes progress: a plain timer would keep a hung agent alive. A tick with a stalled pipeline sends a
/// <c>STATUS=</c> line naming it instead (what <c>systemctl status</c> shows), so systemd restarts the agent after
/// <c>WatchdogSec</c> without a ping. A camera whose source is down does not withhold it: that is reported on MQTT
/// and <c>/healthz</c>, and retried by the pipeline.
/// </summary>
internal sealed class SystemdWatchdog(ISystemdNotifier notifier, AgentHealth health, TimeProvider time, ILogger<SystemdWatchdog> logger, TimeSpan interval)
    : BackgroundService
{
    private static readonly ServiceState Watchdog = new("WATCHDOG=1");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = interval / 2;
        Log.WatchdogArmed(logger, period);
        using var timer = new PeriodicTimer(period, time);
        string? withheld = null;
        try
        {
            do
            {
                var stalled = health.Evaluate().FirstStalled;
                if (stalled is null)
                {
                    if (withheld is not null)
                    {
                        Log.WatchdogResumed(logger);
                        notifier.Notify(new ServiceState("STATUS=running"));
                        withheld = null;
                    }

                    notifier.Notify(Watchdog);
                }
                else
                {
                    var reason = $"camera {stalled.Camera}: {stalled.Reason}";
                    if (withheld is null)
                    {
                        Log.WatchdogWithheld(logger, stalled.Camera, stalled.Reason);
                    }

                    withheld = reason;
                    notifier.Notify(new ServiceState("STATUS=watchdog withheld: " + reason));
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
