using Microsoft.Extensions.Logging;

namespace EdgeSam2.Agent.Mqtt;

internal static partial class Log
{
    [LoggerMessage(2, LogLevel.Information, "MQTT connected to {Host}:{Port}; {Base}/available is online")]
    public static partial void Online(ILogger logger, string host, int port, string @base);

    [LoggerMessage(3, LogLevel.Information, "MQTT reconnected: re-publishing retained state")]
    public static partial void Republishing(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "MQTT offline ({Reason}): cameras keep running; events, replies and retained state wait in the outbox, tracks are dropped until the broker is back")]
    public static partial void ConnectionLost(ILogger logger, string? reason);

    [LoggerMessage(5, LogLevel.Information, "MQTT: {Base}/available is stopped; disconnecting")]
    public static partial void Stopping(ILogger logger, string @base);

    [LoggerMessage(6, LogLevel.Warning, "Command refused on {Topic}: {Field}: {Error}")]
    public static partial void CommandRefused(ILogger logger, string topic, string field, string error);

    [LoggerMessage(7, LogLevel.Debug, "Ignored a message on {Topic}")]
    public static partial void Ignored(ILogger logger, string topic);

    [LoggerMessage(8, LogLevel.Warning, "The broker refused a publication on {Topic}: {Reason}")]
    public static partial void PublishRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(9, LogLevel.Error, "Handling a message on {Topic} failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string topic);

    [LoggerMessage(10, LogLevel.Debug, "Command accepted on {Topic} (request {RequestId})")]
    public static partial void CommandAccepted(ILogger logger, string topic, string? requestId);

    [LoggerMessage(11, LogLevel.Warning, "Publishing the final availability failed: {Reason}")]
    public static partial void StopPublishFailed(ILogger logger, string reason);
}
