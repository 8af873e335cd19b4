namespace EdgeSam2.Mqtt;

/// <summary>A snapshot of the client's counters, for /metrics and status messages.</summary>
/// <param name="MessagesSent">PUBLISH packets written to a connection (resends included).</param>
/// <param name="MessagesAcknowledged">QoS 1 publications the broker acknowledged with success.</param>
/// <param name="MessagesReceived">PUBLISH packets received from the broker.</param>
/// <param name="MessagesDropped">Perishable (QoS 0) publications dropped because the client was disconnected or its send buffer was full.</param>
/// <param name="QueuedMessagesDropped">QoS 1 publications dropped from the full offline queue (oldest first) or refused by the broker.</param>
/// <param name="ReceivedMessagesDropped">Received QoS 0 messages dropped because the reader of <see cref="IMqttClient.Messages"/> lagged.</param>
/// <param name="QueuedMessages">QoS 1 publications currently waiting for a connection.</param>
/// <param name="Reconnects">Successful reconnections after a lost connection.</param>
/// <param name="ConnectionLosses">Connections lost (not counting clean disconnects).</param>
public readonly record struct MqttClientStats(
    long MessagesSent,
    long MessagesAcknowledged,
    long MessagesReceived,
    long MessagesDropped,
    long QueuedMessagesDropped,
    long ReceivedMessagesDropped,
    int QueuedMessages,
    long Reconnects,
    long ConnectionLosses);
