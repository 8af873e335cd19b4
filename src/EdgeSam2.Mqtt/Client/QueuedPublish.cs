namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// A QoS 1 publication on its way: waiting in the outbox, or in flight until PUBACK. <see cref="Completion"/> is the
/// publisher's await, when there is one: it completes on PUBACK, or as soon as the message is parked for the next
/// connection (or dropped), so nobody waits through an outage.
/// </summary>
internal sealed class QueuedPublish(MqttMessage message, TaskCompletionSource? completion, bool perishable)
{
    public MqttMessage Message { get; } = message;

    public TaskCompletionSource? Completion { get; } = completion;

    /// <summary>Per-frame traffic sent at QoS 1: dropped, not requeued, when its connection is lost.</summary>
    public bool Perishable { get; } = perishable;

    /// <summary>Enqueue order: unacknowledged messages go back in front of newer ones in this order.</summary>
    public long Sequence { get; set; }
}
