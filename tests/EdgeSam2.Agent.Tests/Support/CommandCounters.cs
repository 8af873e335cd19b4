using System.Text.Json;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>One <c>{base}/commands</c> message: the agent's command-plane counters.</summary>
internal sealed record CommandCounters(long Received, long Replied, long Refused, long Expired, long RateLimited, long ReplyQueueFull, long Published, long Failed)
{
    public long Dropped => RateLimited + ReplyQueueFull;

    /// <summary>Dropped by the MQTT client before the command plane (not in <see cref="Received"/>): its receive buffer was full.</summary>
    public long ReceiveBufferFull { get; init; }

    /// <summary>Dropped by the MQTT client (not in <see cref="Received"/>): over the size limit on MQTT 3.1.1.</summary>
    public long Oversized { get; init; }

    /// <summary>Every command received is answered (and its reply sent) or dropped with a reason.</summary>
    public bool Settled => Replied + Dropped == Received && Published + Failed == Replied;

    public static CommandCounters Parse(MqttMessage message)
    {
        using var json = JsonDocument.Parse(message.Payload);
        var r = json.RootElement;
        var dropped = r.GetProperty("dropped");
        return new CommandCounters(
            r.GetProperty("received").GetInt64(),
            r.GetProperty("replied").GetInt64(),
            r.GetProperty("refused").GetInt64(),
            r.GetProperty("expired").GetInt64(),
            dropped.GetProperty("rate_limited").GetInt64(),
            dropped.GetProperty("reply_queue_full").GetInt64(),
            r.GetProperty("replies_published").GetInt64(),
            r.GetProperty("replies_failed").GetInt64())
        {
            ReceiveBufferFull = dropped.GetProperty("receive_buffer_full").GetInt64(),
            Oversized = dropped.GetProperty("oversized").GetInt64(),
        };
    }

    /// <summary>The first counters (published after now or before) showing <paramref name="received"/> commands, all settled.</summary>
    public static async Task<CommandCounters> WaitSettledAsync(MqttProbe probe, string @base, long received, TimeSpan timeout)
    {
        var message = await probe.WaitForAsync(
            m => m.Topic == @base + "/commands" && Parse(m) is var c && c.Received == received && c.Settled,
            timeout,
            $"{@base}/commands settled at {received} commands");
        return Parse(message);
    }
}
