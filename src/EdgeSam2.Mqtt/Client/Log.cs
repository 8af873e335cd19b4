using Microsoft.Extensions.Logging;

namespace EdgeSam2.Mqtt.Client;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "MQTT connected to {Host}:{Port} as {ClientId} with MQTT {Version} (session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string version, bool sessionPresent);

    [LoggerMessage(2, LogLevel.Warning, "MQTT connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Information, "MQTT reconnect attempt {Attempt} in {DelayMs} ms")]
    public static partial void ReconnectScheduled(ILogger logger, int attempt, long delayMs);

    [LoggerMessage(4, LogLevel.Warning, "MQTT reconnect attempt {Attempt} failed: {Reason}")]
    public static partial void ReconnectFailed(ILogger logger, int attempt, string reason);

    [LoggerMessage(5, LogLevel.Information, "MQTT broker at {Host}:{Port} refused MQTT 5 ({Reason}); retrying with 3.1.1")]
    public static partial void FallingBackTo311(ILogger logger, string host, int port, string reason);

    [LoggerMessage(6, LogLevel.Warning, "MQTT subscription to {TopicFilter} refused with reason 0x{ReasonCode:X2}")]
    public static partial void SubscriptionRefused(ILogger logger, string topicFilter, byte reasonCode);

    [LoggerMessage(7, LogLevel.Warning, "MQTT broker refused a publication to {Topic} with reason 0x{ReasonCode:X2}: {ReasonString}")]
    public static partial void PublishRefused(ILogger logger, string topic, byte reasonCode, string? reasonString);

    [LoggerMessage(8, LogLevel.Debug, "MQTT offline queue full: dropped the oldest message to {Topic}")]
    public static partial void QueueOverflow(ILogger logger, string topic);

    [LoggerMessage(9, LogLevel.Warning, "MQTT publication to {Topic} of {Size} bytes exceeds the broker's maximum packet size {Maximum}; dropped")]
    public static partial void PacketTooLarge(ILogger logger, string topic, int size, uint maximum);

    [LoggerMessage(10, LogLevel.Information, "MQTT disconnected cleanly (will published: {PublishWill})")]
    public static partial void Disconnected(ILogger logger, bool publishWill);

    [LoggerMessage(11, LogLevel.Error, "MQTT connection state handler threw")]
    public static partial void StateHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "MQTT reconnected after {Attempts} attempt(s); {Subscriptions} subscription(s) restored, {Queued} queued message(s) resent")]
    public static partial void Reconnected(ILogger logger, int attempts, int subscriptions, int queued);
}
