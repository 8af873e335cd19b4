using Microsoft.Extensions.Logging;

namespace EdgeSam2.Mqtt.Client;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "MQTT connected to {Host}:{Port} as {ClientId} with MQTT {Version} (session present: {SessionPresent})")]
    public static partial void Connected(ILogger logger, string host, int port, string clientId, string version, bool sessionPresent);

    [LoggerMessage(2, LogLevel.Warning, "MQTT connection lost: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string reason);

    [LoggerMessage(3, LogLevel.Warning, "MQTT connection to {Host}:{Port} failed: {Reason}; retrying in {DelayMs} ms with back-off (the same failure again is logged at Debug)")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, string reason, long delayMs);

    [LoggerMessage(4, LogLevel.Debug, "MQTT connection attempt {Attempt} to {Host}:{Port} failed again: {Reason}; retrying in {DelayMs} ms")]
    public static partial void ConnectFailedAgain(ILogger logger, int attempt, string host, int port, string reason, long delayMs);

    [LoggerMessage(5, LogLevel.Debug, "MQTT broker at {Host}:{Port} refused MQTT 5 ({Reason}); retrying with 3.1.1")]
    public static partial void FallingBackTo311(ILogger logger, string host, int port, string reason);

    [LoggerMessage(6, LogLevel.Warning, "MQTT subscription to {TopicFilter} refused with reason 0x{ReasonCode:X2}")]
    public static partial void SubscriptionRefused(ILogger logger, string topicFilter, int reasonCode);

    [LoggerMessage(7, LogLevel.Warning, "MQTT broker refused a publication to {Topic} with reason 0x{ReasonCode:X2}: {ReasonString}")]
    public static partial void PublishRefused(ILogger logger, string topic, int reasonCode, string? reasonString);

    [LoggerMessage(8, LogLevel.Debug, "MQTT outbox full: dropped the oldest message to {Topic}")]
    public static partial void QueueOverflow(ILogger logger, string topic);

    [LoggerMessage(9, LogLevel.Warning, "MQTT publication to {Topic} of about {Size} bytes exceeds the broker's maximum packet size {Maximum}; dropped")]
    public static partial void PacketTooLarge(ILogger logger, string topic, long size, uint maximum);

    [LoggerMessage(10, LogLevel.Information, "MQTT disconnected cleanly (will published: {PublishWill})")]
    public static partial void Disconnected(ILogger logger, bool publishWill);

    [LoggerMessage(11, LogLevel.Error, "MQTT connection state handler threw")]
    public static partial void StateHandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(12, LogLevel.Information, "MQTT reconnected after {Attempts} attempt(s); {Subscriptions} subscription(s) restored, {Queued} queued message(s) to send")]
    public static partial void Reconnected(ILogger logger, int attempts, int subscriptions, int queued);

    [LoggerMessage(13, LogLevel.Warning, "MQTT received a message on {Topic} of {Size} bytes, over the {Maximum}-byte limit; dropped (the connection stays up; further ones are logged at Debug)")]
    public static partial void OversizedDropped(ILogger logger, string topic, long size, int maximum);

    [LoggerMessage(14, LogLevel.Debug, "MQTT received a message on {Topic} of {Size} bytes, over the {Maximum}-byte limit; dropped")]
    public static partial void OversizedDroppedAgain(ILogger logger, string topic, long size, int maximum);

    [LoggerMessage(15, LogLevel.Warning, "MQTT receive buffer full ({Capacity} messages): dropping incoming messages until the reader catches up")]
    public static partial void ReceiveBufferFull(ILogger logger, int capacity);

    [LoggerMessage(16, LogLevel.Information, "MQTT receive buffer drained; {Dropped} incoming message(s) dropped in total so far")]
    public static partial void ReceiveBufferRecovered(ILogger logger, long dropped);

    [LoggerMessage(17, LogLevel.Warning, "MQTT publication to {Topic} failed and is dropped: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string topic, string reason);
}
