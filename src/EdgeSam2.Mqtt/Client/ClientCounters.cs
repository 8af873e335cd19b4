namespace EdgeSam2.Mqtt.Client;

/// <summary>The client's counters, shared with its loops and updated with Interlocked.</summary>
internal sealed class ClientCounters
{
    public long MessagesSent;
    public long MessagesAcknowledged;
    public long MessagesReceived;
    public long MessagesDropped;
    public long QueuedMessagesDropped;
    public long ReceivedMessagesDropped;
    public long OversizedMessagesDropped;
    public long Reconnects;
    public long ConnectionLosses;
    public long ConnectAttemptsFailed;
    public int InFlight;
}
