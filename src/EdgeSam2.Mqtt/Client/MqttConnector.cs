using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Client;

/// <summary>Opens the transport (TCP, optionally TLS), sends CONNECT and waits for CONNACK, all under the connect time-out.</summary>
internal static class MqttConnector
{
    public static async Task<ConnectOutcome> ConnectAsync(
        MqttClientOptions options, TlsSettings? tls, ConnectRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        FrameReader? frames = null;
        var succeeded = false;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(tls.CreateAuthenticationOptions(), timeout.Token).ConfigureAwait(false);
            }

            var connect = ConnectPacket.Encode(request);
            try
            {
                await stream.WriteAsync(connect.Buffer.AsMemory(connect.Offset, connect.Length), timeout.Token).ConfigureAwait(false);
                await stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                connect.Return();
            }

            frames = new FrameReader(stream, options.MaximumIncomingPacketSize);
            var frame = await frames.ReadAsync(timeout.Token).ConfigureAwait(false);
            var outcome = Interpret(frame, request.Version, stream, frames);
            succeeded = outcome.Failure == ConnectFailure.None;

            return outcome;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(ConnectFailure.TimedOut, request.Version, $"no CONNACK within the connect time-out of {options.ConnectTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException)
        {
            return new ConnectOutcome
            {
                Failure = ConnectFailure.Transport,
                Version = request.Version,
                Description = ex.Message,
                Exception = ex,
            };
        }
        finally
        {
            if (!succeeded)
            {
                frames?.Dispose();
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }
                else
                {
                    socket.Dispose();
                }
            }
        }
    }

    private static ConnectOutcome Interpret(Frame frame, MqttProtocolVersion version, Stream stream, FrameReader frames)
    {
        if (frame.Status == FrameStatus.Closed)
        {
            return Failed(ConnectFailure.ClosedBeforeConnAck, version, "the broker closed the connection before answering CONNECT");
        }

        if (frame.Status != FrameStatus.Packet || frame.Header.Type != PacketType.ConnAck)
        {
            return Failed(ConnectFailure.ProtocolError, version, "the broker answered CONNECT with something other than CONNACK");
        }

        var error = ConnAckPacket.TryDecode(frame.Body.Span, version, out var connAck);
        if (error != MqttDecodeError.None || connAck is null)
        {
            return Failed(ConnectFailure.ProtocolError, version, $"malformed CONNACK ({error})");
        }

        if (!connAck.IsSuccess)
        {
            // A 3.1.1 broker answers a v5 CONNECT in 3.1.1 terms, so describe its code in those terms.
            var describedAs = connAck.ReasonCode == ConnAckPacket.UnacceptableProtocolVersion311 ? MqttProtocolVersion.V311 : version;
            var description = $"refused by the broker: {ConnAckPacket.Describe(connAck.ReasonCode, describedAs)} (0x{connAck.ReasonCode:X2})"
                + (connAck.ReasonString is { } why ? $": {why}" : "");
            return new ConnectOutcome
            {
                Failure = ConnectFailure.Refused,
                Version = version,
                Description = description,
                ReasonCode = connAck.ReasonCode,
                ReasonString = connAck.ReasonString,
            };
        }

        return new ConnectOutcome
        {
            Failure = ConnectFailure.None,
            Version = version,
            Description = "connected",
            Stream = stream,
            Frames = frames,
            ConnAck = connAck,
        };
    }

    private static ConnectOutcome Failed(ConnectFailure failure, MqttProtocolVersion version, string description) =>
        new() { Failure = failure, Version = version, Description = description };
}
