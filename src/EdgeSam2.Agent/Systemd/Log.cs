using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Systemd;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Told systemd READY=1 (watchdog interval {Watchdog})")]
    public static partial void Ready(ILogger logger, TimeSpan? watchdog);
}
