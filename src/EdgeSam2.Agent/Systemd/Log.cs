using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Systemd;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "systemd watchdog: feeding WATCHDOG=1 every {Interval} while every camera's pipeline makes progress")]
    public static partial void WatchdogArmed(ILogger logger, TimeSpan interval);

    [LoggerMessage(2, LogLevel.Error, "systemd watchdog withheld: camera {Camera}: {Reason}; systemd restarts the agent unless it recovers")]
    public static partial void WatchdogWithheld(ILogger logger, string camera, string reason);

    [LoggerMessage(3, LogLevel.Information, "systemd watchdog: every pipeline makes progress again; feeding resumed")]
    public static partial void WatchdogResumed(ILogger logger);
}
