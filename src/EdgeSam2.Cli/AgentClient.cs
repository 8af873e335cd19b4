using System.Security.Cryptography;
using System.Text.Json;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Cli;

/// <summary>Connecting failed, or the broker refused a subscription; the message says which.</summary>
internal sealed class AgentClientException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One MQTT 5 connection to the broker on the operator's behalf: sends a command with a response topic of its own under
/// <c>{base}/replies/</c> (the only prefix the agent answers on by default) and waits for the reply that carries its
/// correlation data; or watches the agent's topics.
/// </summary>
internal sealed class AgentClient : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly ConnectionSettings _settings;

    private AgentClient(MqttClient client, ConnectionSettings settings) => (_client, _settings) = (client, settings);

    public static async Task<AgentClient> ConnectAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        var client = new MqttClient(new MqttClientOptions
        {
            Host = settings.Host,
            Port = settings.Port,
            ClientId = "edgesam2-cli-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)),
            Username = settings.Username,
            Password = settings.Password,
            ProtocolVersion = MqttProtocolVersion.V500,
            ConnectTimeout = settings.Timeout,
        });
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return new AgentClient(client, settings);
        }
        catch (MqttConnectException e)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new AgentClientException($"cannot connect to the broker at {settings.Host}:{settings.Port}: {e.Message}", e);
        }
    }

    /// <summary>Sends <paramref name="request"/> to <c>{base}/{camera}/{verb}</c>; its reply, or null when none came in time.</summary>
    public async Task<Reply?> RequestAsync(string camera, string verb, RequestJson.Built request, CancellationToken cancellationToken)
    {
        var replyTopic = _settings.Base + "/replies/" + _client.ClientId;
        await SubscribeAsync([replyTopic], cancellationToken).ConfigureAwait(false);
        var correlation = RandomNumberGenerator.GetBytes(16);
        var message = new MqttMessage($"{_settings.Base}/{camera}/{verb}", request.Payload, MqttQos.AtLeastOnce)
        {
            ResponseTopic = replyTopic,
            CorrelationData = correlation,
            ContentType = "application/json",
            PayloadIsUtf8 = true,
        };
        await _client.PublishAsync(message, cancellationToken).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        try
        {
            await foreach (var received in _client.Messages.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                // An agent that refuses the response topic answers on {base}/{cam}/reply, still with the correlation data.
                if (received.CorrelationData is { } data && data.Span.SequenceEqual(correlation))
                {
                    return Reply.Parse(received.Payload);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return null;
    }

    /// <summary>
    /// Sends <c>capture</c> to <c>{base}/{camera}/capture</c> and waits for its reply and for the JPEG of the frame the
    /// reply names (they may come in either order); null when either did not come in time.
    /// </summary>
    public async Task<(Reply Reply, MqttMessage? Jpeg)?> SnapshotAsync(string camera, CancellationToken cancellationToken)
    {
        var replyTopic = _settings.Base + "/replies/" + _client.ClientId;
        var snapshotTopic = $"{_settings.Base}/{camera}/snapshot";
        await SubscribeAsync([replyTopic, snapshotTopic], cancellationToken).ConfigureAwait(false);
        var correlation = RandomNumberGenerator.GetBytes(16);
        var request = new MqttMessage($"{_settings.Base}/{camera}/capture", "{}"u8.ToArray(), MqttQos.AtLeastOnce)
        {
            ResponseTopic = replyTopic,
            CorrelationData = correlation,
            ContentType = "application/json",
            PayloadIsUtf8 = true,
        };
        await _client.PublishAsync(request, cancellationToken).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Timeout);
        Reply? reply = null;

        // Snapshots that came before the reply, by frame; periodic ones of other frames are dropped once the reply is in.
        var early = new Dictionary<string, MqttMessage>();
        try
        {
            await foreach (var received in _client.Messages.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                if (received.Topic == snapshotTopic)
                {
                    var frame = received.UserProperties?.FirstOrDefault(p => p.Name == "frame").Value;
                    if (frame is null)
                    {
                        continue;
                    }

                    if (reply is null)
                    {
                        early[frame] = received;
                        if (early.Count > 16)
                        {
                            early.Remove(early.Keys.First());
                        }
                    }
                    else if (frame == FrameText(reply))
                    {
                        return (reply, received);
                    }
                }
                else if (received.CorrelationData is { } data && data.Span.SequenceEqual(correlation))
                {
                    reply = Reply.Parse(received.Payload);
                    if (reply.Status != "ok" || reply.Frame is null)
                    {
                        return (reply, null);
                    }

                    if (early.TryGetValue(FrameText(reply), out var jpeg))
                    {
                        return (reply, jpeg);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return reply is null ? null : (reply, null);

        static string FrameText(Reply r) => r.Frame!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Prints tracks, events and status lines for <paramref name="camera"/> (null: every camera) until cancelled or <paramref name="count"/> lines.</summary>
    public async Task WatchAsync(string? camera, int count, TextWriter output, CancellationToken cancellationToken)
    {
        var cam = camera ?? "+";
        await SubscribeAsync([$"{_settings.Base}/{cam}/tracks", $"{_settings.Base}/{cam}/events", $"{_settings.Base}/{cam}/status"], cancellationToken).ConfigureAwait(false);
        var lines = 0;
        await foreach (var message in _client.Messages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (WatchFormat.Line(message) is not { } line)
            {
                continue;
            }

            await output.WriteLineAsync(line).ConfigureAwait(false);
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            if (count > 0 && ++lines >= count)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _client.DisconnectAsync(publishWill: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
        }

        await _client.DisposeAsync().ConfigureAwait(false);
    }

    private async Task SubscribeAsync(string[] filters, CancellationToken cancellationToken)
    {
        var subscriptions = new List<MqttSubscription>(filters.Length);
        foreach (var filter in filters)
        {
            subscriptions.Add(new MqttSubscription(filter, MqttQos.AtLeastOnce));
        }

        try
        {
            await _client.SubscribeAsync(subscriptions, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttSubscribeException e)
        {
            throw new AgentClientException($"the broker refused the subscription to {string.Join(", ", filters)}: {e.Message}", e);
        }
    }
}

/// <summary>The agent's reply (reply.schema.json).</summary>
internal sealed record Reply(string Json, string Status, string? RequestId, string? Field, string? Error, int? ObjectId, int[]? ObjectIds, long? Frame, bool? Enabled)
{
    public static Reply Parse(ReadOnlyMemory<byte> payload)
    {
        var json = System.Text.Encoding.UTF8.GetString(payload.Span);
        try
        {
            using var document = JsonDocument.Parse(payload);
            var r = document.RootElement;
            int[]? ids = null;
            if (r.TryGetProperty("object_ids", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                ids = new int[list.GetArrayLength()];
                var i = 0;
                foreach (var id in list.EnumerateArray())
                {
                    ids[i++] = id.GetInt32();
                }
            }

            return new Reply(
                json,
                Text(r, "status") ?? "?",
                Text(r, "request_id"),
                Text(r, "field"),
                Text(r, "error"),
                r.TryGetProperty("object_id", out var o) && o.TryGetInt32(out var oid) ? oid : null,
                ids,
                r.TryGetProperty("frame", out var f) && f.TryGetInt64(out var frame) ? frame : null,
                r.TryGetProperty("enabled", out var e) && e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null);
        }
        catch (JsonException)
        {
            return new Reply(json, "unreadable", null, null, "the reply is not JSON", null, null, null, null);
        }
    }

    /// <summary>One readable line: <c>ok object 3 on frame 12</c>, <c>error points[0]: …</c>.</summary>
    public string Describe()
    {
        var at = Frame is { } frame ? $" on frame {frame}" : "";
        if (Status != "ok")
        {
            return $"{Status} {Field}: {Error}{at}";
        }

        if (ObjectIds is { } ids)
        {
            return $"ok removed [{string.Join(", ", ids)}]{at}";
        }

        if (Enabled is { } enabled)
        {
            return enabled ? "ok camera enabled" : "ok camera disabled";
        }

        return ObjectId is { } id ? $"ok object {id}{at}" : $"ok{at}";
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
