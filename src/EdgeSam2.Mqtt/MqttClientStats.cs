namespace EdgeSam2.Mqtt;

/// <summary>A snapshot of the client's counters, for /metrics and status messages.</summary>
/// <param name="MessagesSent">PUBLISH packets written to a connection (resends included).</param>
/// <param name="MessagesAcknowledged">QoS 1 publications the broker acknowledged with success.</param>
/// <param name="MessagesReceived">PUBLISH packets received from the broker.</param>
/// <param name="MessagesDropped">Perishable publications dropped because the client was disconnected or its send buffer was full.</param>
/// <param name="QueuedMessagesDropped">QoS 1 publications dropped from the full outbox (oldest first), too large for the broker, or refused by it.</param>
/// <param name="ReceivedMessagesDropped">Received messages dropped because the reader of <see cref="IMqttClient.Messages"/> lagged and its buffer was full.</param>
/// <param name="OversizedMessagesDropped">Received messages over <see cref="MqttClientOptions.MaximumIncomingPacketSize"/>, dropped (the connection stays up).</param>
/// <param name="QueuedMessages">QoS 1 publications waiting in the outbox.</param>
/// <param name="InFlightMessages">QoS 1 publications sent and not yet acknowledged.</param>
/// <param name="Reconnects">Successful reconnections after a lost connection.</param>
/// <param name="ConnectionLosses">Connections lost (not counting clean disconnects).</param>
/// <param name="ConnectAttemptsFailed">Connection attempts that failed (refused, unreachable, TLS).</param>
public readonly record struct MqttClientStats(
    long MessagesSent,
    long MessagesAcknowledged,
    long MessagesReceived,
    long MessagesDropped,
    long QueuedMessagesDropped,
    long ReceivedMessagesDropped,
    long OversizedMessagesDropped,
    int QueuedMessages,
    int InFlightMessages,
    long Reconnects,
    long ConnectionLosses,
    long ConnectAttemptsFailed);
