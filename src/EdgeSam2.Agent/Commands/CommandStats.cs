using EdgeSam2.Agent.Messages;

namespace EdgeSam2.Agent.Commands;

/// <summary>
/// The command plane's counters, published on <c>{base}/commands</c>: every command received ends either as one reply
/// handed to the reply queue or as one drop counted here with its reason, so <c>received = replied + dropped</c>
/// once no command waits for its frame. Messages the MQTT client dropped before the command plane saw them (its receive
/// buffer full, or over the size limit on MQTT 3.1.1) are not received: they are counted from the client's own counters.
/// </summary>
internal sealed class CommandStats
{
    private long _received;
    private long _replied;
    private long _refused;
    private long _expired;
    private long _rateLimited;
    private long _replyQueueFull;
    private long _published;
    private long _publishFailed;

    public long Received => Interlocked.Read(ref _received);

    public long RateLimited => Interlocked.Read(ref _rateLimited);

    public long ReplyQueueFull => Interlocked.Read(ref _replyQueueFull);

    public long Replied => Interlocked.Read(ref _replied);

    public long Refused => Interlocked.Read(ref _refused);

    public long Expired => Interlocked.Read(ref _expired);

    public void OnReceived() => Interlocked.Increment(ref _received);

    /// <summary>A reply was queued; <paramref name="refused"/> when it refuses the command (status error).</summary>
    public void OnReplyQueued(bool refused, bool expired)
    {
        Interlocked.Increment(ref _replied);
        if (expired)
        {
            Interlocked.Increment(ref _expired);
        }
        else if (refused)
        {
            Interlocked.Increment(ref _refused);
        }
    }

    public void OnRateLimited() => Interlocked.Increment(ref _rateLimited);

    public void OnReplyQueueFull() => Interlocked.Increment(ref _replyQueueFull);

    public void OnPublished() => Interlocked.Increment(ref _published);

    public void OnPublishFailed() => Interlocked.Increment(ref _publishFailed);

    /// <summary>The counters, with the wire-level drops of <paramref name="wire"/> (the agent's MQTT client).</summary>
    public byte[] ToJson(EdgeSam2.Mqtt.MqttClientStats wire = default) => JsonWriting.Build((this, wire), static (w, state) =>
    {
        var (s, wire) = state;
        w.WriteStartObject();
        w.WriteNumber("received", s.Received);
        w.WriteNumber("replied", s.Replied);
        w.WriteNumber("refused", Interlocked.Read(ref s._refused));
        w.WriteNumber("expired", Interlocked.Read(ref s._expired));
        w.WriteStartObject("dropped");
        w.WriteNumber("rate_limited", s.RateLimited);
        w.WriteNumber("reply_queue_full", s.ReplyQueueFull);
        w.WriteNumber("receive_buffer_full", wire.ReceivedMessagesDropped);
        w.WriteNumber("oversized", wire.OversizedMessagesDropped);
        w.WriteEndObject();
        w.WriteNumber("replies_published", Interlocked.Read(ref s._published));
        w.WriteNumber("replies_failed", Interlocked.Read(ref s._publishFailed));
        w.WriteEndObject();
    });
}
