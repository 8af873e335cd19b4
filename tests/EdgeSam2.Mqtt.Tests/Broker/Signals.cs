using System.Text;
using System.Threading.Channels;

namespace EdgeSam2.Mqtt.Tests.Broker;

/// <summary>Awaiting what the client reports, always with a time-out: tests never sleep.</summary>
internal static class Signals
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<MqttMessage> NextMessageAsync(this IMqttClient client, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Timeout);
        try
        {
            return await client.Messages.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No message within {timeout ?? Timeout}.");
        }
    }

    public static string Text(this MqttMessage message) => Encoding.UTF8.GetString(message.Payload.Span);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}

/// <summary>Records the client's connection state changes in order.</summary>
internal sealed class StateRecorder
{
    private readonly Channel<MqttConnectionStateChangedEventArgs> _changes = Channel.CreateUnbounded<MqttConnectionStateChangedEventArgs>();

    public StateRecorder(IMqttClient client) => client.ConnectionStateChanged += (_, e) => _changes.Writer.TryWrite(e);

    public async Task<MqttConnectionStateChangedEventArgs> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Signals.Timeout);
        try
        {
            return await _changes.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No connection state change within {timeout ?? Signals.Timeout}.");
        }
    }
}

/// <summary>Waiting for a condition on counters that have no event of their own.</summary>
internal static class Eventually
{
    /// <summary>Re-checks <paramref name="condition"/> until it holds; throws with <paramref name="what"/> after the time-out.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Signals.Timeout);
        while (!condition())
        {
            try
            {
                await Task.Delay(10, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Not within {timeout ?? Signals.Timeout}: {what}.");
            }
        }
    }
}
