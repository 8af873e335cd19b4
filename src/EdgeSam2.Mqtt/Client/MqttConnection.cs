using System.Net.Sockets;
using System.Security.Authentication;
using MqttNet = MQTTnet;
using MqttNetAdapter = MQTTnet.Adapter;
using MqttNetExceptions = MQTTnet.Exceptions;
using MqttNetFormatter = MQTTnet.Formatter;
using MqttNetProtocol = MQTTnet.Protocol;

namespace EdgeSam2.Mqtt.Client;

/// <summary>What one CONNECT asks for.</summary>
internal sealed record ConnectRequest(MqttProtocolVersion Version, string ClientId, bool CleanStart);

/// <summary>
/// One MQTTnet client for the life of one network connection: MQTTnet 5 does not reconnect by itself, and a fresh
/// client per connection keeps a dead connection's late events away from its successor.
/// </summary>
internal sealed class MqttConnection
{
    private static readonly MqttNet.MqttClientFactory Factory = new();

    private readonly MqttNet.IMqttClient _client;
    private readonly SocketStreamProvider _streams = new();
    private readonly TaskCompletionSource<string> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private int _inFlightLimit;

    private MqttConnection(MqttProtocolVersion version, Func<MqttNet.MqttApplicationMessageReceivedEventArgs, Task> onReceived)
    {
        Version = version;
        _client = Factory.CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += onReceived;
        _client.DisconnectedAsync += OnDisconnected;
    }

    public MqttProtocolVersion Version { get; }

    public bool IsV5 => Version == MqttProtocolVersion.V500;

    public bool SessionPresent { get; private set; }

    public string? AssignedClientIdentifier { get; private set; }

    /// <summary>The broker's maximum packet size (MQTT 5), or null when it announced none.</summary>
    public uint? BrokerMaximumPacketSize { get; private set; }

    /// <summary>QoS 1 publications this connection may have unacknowledged: ours, capped by the broker's receive maximum.</summary>
    public SemaphoreSlim InFlightSlots { get; private set; } = null!;

    public int InFlightLimit => _inFlightLimit;

    /// <summary>Completes with the reason once the connection is gone (lost, refused or closed by us).</summary>
    public Task<string> Closed => _closed.Task;

    /// <summary>Cancelled when the connection is gone: what waits on this connection stops waiting.</summary>
    public CancellationToken Lifetime => _lifetime.Token;

    public static async Task<ConnectOutcome> ConnectAsync(
        MqttClientOptions options,
        TlsSettings? tls,
        ConnectRequest request,
        Func<MqttNet.MqttApplicationMessageReceivedEventArgs, Task> onReceived,
        CancellationToken cancellationToken)
    {
        var connection = new MqttConnection(request.Version, onReceived);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        tls?.TakeLastRejection();
        try
        {
            var result = await connection._client.ConnectAsync(connection.BuildOptions(options, tls, request), timeout.Token).ConfigureAwait(false);
            if (result.ResultCode != MqttNet.MqttClientConnectResultCode.Success)
            {
                connection.Dispose();
                var code = (byte)result.ResultCode;
                return new ConnectOutcome
                {
                    Failure = ConnectFailure.Refused,
                    Description = DescribeRefusal(code, result.ReasonString),
                    ReasonCode = code,
                    ReasonString = result.ReasonString,
                };
            }

            connection.Adopt(result, options.MaxInFlightMessages);
            return new ConnectOutcome { Failure = ConnectFailure.None, Description = "connected", Connection = connection };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            connection.Dispose();
            return Describe(e, options, tls, connection._streams.Connected);
        }
    }

    public Task<MqttNet.MqttClientPublishResult> PublishAsync(MqttNet.MqttApplicationMessage message) => _client.PublishAsync(message, Lifetime);

    public Task<MqttNet.MqttClientSubscribeResult> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        var builder = new MqttNet.MqttClientSubscribeOptionsBuilder();
        foreach (var subscription in subscriptions)
        {
            builder.WithTopicFilter(f =>
            {
                f.WithTopic(subscription.TopicFilter).WithQualityOfServiceLevel(ToMqttNet(subscription.MaximumQos));
                if (Version == MqttProtocolVersion.V500)
                {
                    f.WithNoLocal(subscription.NoLocal);
                }
            });
        }

        return _client.SubscribeAsync(builder.Build(), cancellationToken);
    }

    /// <summary>Sends DISCONNECT (MQTT 5 reason 0x04 when <paramref name="publishWill"/>); on 3.1.1 a will is asked for by closing without one.</summary>
    public async Task DisconnectAsync(bool publishWill, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (publishWill && Version == MqttProtocolVersion.V311)
        {
            Abort();
            return;
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var options = new MqttNet.MqttClientDisconnectOptionsBuilder()
            .WithReason(publishWill ? MqttNet.MqttClientDisconnectOptionsReason.DisconnectWithWillMessage : MqttNet.MqttClientDisconnectOptionsReason.NormalDisconnection)
            .Build();
        try
        {
            await _client.DisconnectAsync(options, limit.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MqttNetExceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
        {
            Abort();
        }
    }

    /// <summary>
    /// Pings every keep-alive period and cuts the connection when the broker stays silent for half a period more.
    /// MQTTnet pings only when we send nothing, so a streaming agent would never notice a broker that hangs or a
    /// half-open link; this notices both within 1.5× the keep-alive.
    /// </summary>
    public async Task WatchAsync(TimeSpan keepAlive)
    {
        if (keepAlive <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            while (true)
            {
                await Task.Delay(keepAlive, Lifetime).ConfigureAwait(false);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Lifetime);
                timeout.CancelAfter(keepAlive / 2);
                try
                {
                    await _client.PingAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (!Lifetime.IsCancellationRequested && e is not OutOfMemoryException)
                {
                    _closed.TrySetResult($"no answer to PINGREQ within {(keepAlive / 2).TotalSeconds:0.#} s");
                    Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True for the exceptions MQTTnet raises when the connection is gone or going.</summary>
    public static bool IsConnectionFailure(Exception exception) =>
        exception is MqttNetExceptions.MqttCommunicationException or ObjectDisposedException or IOException or SocketException;

    /// <summary>Cuts the socket without DISCONNECT.</summary>
    public void Abort() => _streams.Abort();

    public void Dispose()
    {
        _streams.Abort();
        _client.Dispose();
        _closed.TrySetResult("closed by the client");
        _lifetime.Cancel();
    }

    private static MqttNetProtocol.MqttQualityOfServiceLevel ToMqttNet(MqttQos qos) =>
        qos == MqttQos.AtLeastOnce ? MqttNetProtocol.MqttQualityOfServiceLevel.AtLeastOnce : MqttNetProtocol.MqttQualityOfServiceLevel.AtMostOnce;

    private static string DescribeRefusal(byte code, string? reasonString)
    {
        var text = code switch
        {
            0x84 => "unsupported protocol version",
            0x85 => "client identifier not valid",
            0x86 => "bad user name or password",
            0x87 => "not authorized",
            0x88 => "server unavailable",
            0x89 => "server busy",
            0x8A => "banned",
            0x8C => "bad authentication method",
            0x95 => "packet too large",
            0x9F => "connection rate exceeded",
            _ => "refused",
        };
        var hint = code is 0x86 or 0x87 ? "; check the user name and password (or the broker's ACL for this client)" : "";
        return $"the broker refused the connection: {text} (0x{code:X2})" + (reasonString is { Length: > 0 } why ? $": {why}" : "") + hint;
    }

    private static ConnectOutcome Describe(Exception exception, MqttClientOptions options, TlsSettings? tls, bool tcpConnected)
    {
        var endpoint = $"{options.Host}:{options.Port}";
        if (exception is OperationCanceledException or MqttNetExceptions.MqttCommunicationTimedOutException)
        {
            return new ConnectOutcome
            {
                Failure = ConnectFailure.TimedOut,
                Description = $"no CONNACK within {options.ConnectTimeout.TotalSeconds:0.#} s" + (options.UseTls ? " (TLS handshake or broker silent)" : ""),
                Exception = exception,
            };
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException or IOException or SocketException && tls is not null && tcpConnected)
            {
                var rejection = tls!.TakeLastRejection();
                return new ConnectOutcome
                {
                    Failure = ConnectFailure.Tls,
                    Description = rejection is not null
                        ? $"TLS: {rejection}"
                        : $"TLS handshake with {endpoint} failed ({Innermost(inner).Message}); is this a plain (non-TLS) MQTT port, or does the broker want a client certificate?",
                    Exception = inner,
                };
            }

            if (inner is SocketException socket)
            {
                return new ConnectOutcome
                {
                    Failure = ConnectFailure.Transport,
                    Description = $"cannot reach {endpoint}: {socket.SocketErrorCode} ({socket.Message})",
                    Exception = socket,
                };
            }
        }

        var tlsRejection = tls?.TakeLastRejection();
        if (tlsRejection is not null)
        {
            return new ConnectOutcome { Failure = ConnectFailure.Tls, Description = $"TLS: {tlsRejection}", Exception = exception };
        }

        if (exception is MqttNetAdapter.MqttConnectingFailedException or MqttNetExceptions.MqttCommunicationException)
        {
            var hint = options.UseTls
                ? " (a TLS listener that wants a client certificate, or one that is not TLS?)"
                : " (a TLS listener? set UseTls)";
            return new ConnectOutcome
            {
                Failure = ConnectFailure.ClosedBeforeConnAck,
                Description = $"{endpoint} closed the connection before CONNACK{hint}: {Innermost(exception).Message}",
                Exception = exception,
            };
        }

        return new ConnectOutcome { Failure = ConnectFailure.Transport, Description = $"{exception.GetType().Name}: {exception.Message}", Exception = exception };
    }

    private static Exception Innermost(Exception exception)
    {
        while (exception.InnerException is { } inner)
        {
            exception = inner;
        }

        return exception;
    }

    private MqttNet.MqttClientOptions BuildOptions(MqttClientOptions options, TlsSettings? tls, ConnectRequest request)
    {
        var builder = new MqttNet.MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithStreamProvider(_streams)
            .WithClientId(request.ClientId)
            .WithProtocolVersion(request.Version == MqttProtocolVersion.V311 ? MqttNetFormatter.MqttProtocolVersion.V311 : MqttNetFormatter.MqttProtocolVersion.V500)
            .WithKeepAlivePeriod(options.KeepAlive)
            .WithTimeout(options.ConnectTimeout)
            .WithCleanStart(request.CleanStart);
        if (options.KeepAlive == TimeSpan.Zero)
        {
            builder.WithNoKeepAlive();
        }

        if (request.Version == MqttProtocolVersion.V500)
        {
            builder.WithSessionExpiryInterval(options.SessionExpiryInterval).WithMaximumPacketSize((uint)options.MaximumIncomingPacketSize);
        }

        if (options.Username is not null)
        {
            builder.WithCredentials(options.Username, options.Password);
        }

        if (options.Will is { } will)
        {
            builder.WithWillTopic(will.Topic)
                .WithWillPayload(will.Payload.ToArray())
                .WithWillQualityOfServiceLevel(ToMqttNet(will.Qos))
                .WithWillRetain(will.Retain);
        }

        if (tls is not null)
        {
            builder.WithTlsOptions(o => o
                .UseTls()
                .WithTargetHost(tls.Host)
                .WithClientCertificates(tls.ClientCertificates ?? [])
                .WithRevocationMode(System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck)
                .WithCertificateValidationHandler(tls.Validate));
        }

        return builder.Build();
    }

    private void Adopt(MqttNet.MqttClientConnectResult result, int maxInFlight)
    {
        SessionPresent = result.IsSessionPresent;
        AssignedClientIdentifier = result.AssignedClientIdentifier;
        BrokerMaximumPacketSize = result.MaximumPacketSize is > 0 ? result.MaximumPacketSize : null;
        _inFlightLimit = Math.Max(1, Math.Min(maxInFlight, result.ReceiveMaximum is > 0 and var receive ? receive : ushort.MaxValue));
        InFlightSlots = new SemaphoreSlim(_inFlightLimit, _inFlightLimit);
    }

    private Task OnDisconnected(MqttNet.MqttClientDisconnectedEventArgs e)
    {
        var reason = e.Exception is { } exception
            ? Innermost(exception).Message
            : e.Reason == MqttNet.MqttClientDisconnectReason.NormalDisconnection
                ? "connection closed"
                : $"the broker disconnected: {e.Reason}" + (e.ReasonString is { Length: > 0 } why ? $" ({why})" : "");
        _closed.TrySetResult(reason);
        _lifetime.Cancel();
        return Task.CompletedTask;
    }
}
