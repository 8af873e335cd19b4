namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// A QoS 1 publication on its way: waiting for a connection, or in flight until PUBACK. <see cref="Completion"/> is
/// the publisher's await; it completes on PUBACK, or as soon as the message is parked in the offline queue.
/// </summary>
internal sealed class QueuedPublish(MqttMessage message, TaskCompletionSource? completion)
{
    public MqttMessage Message { get; } = message;

    public TaskCompletionSource? Completion { get; } = completion;

    /// <summary>How often it went out; the second and later sends carry the DUP flag.</summary>
    public int SendCount { get; set; }

    /// <summary>Order of sending on the current connection, so unacknowledged messages are requeued in order.</summary>
    public long Sequence { get; set; }
}
