using System.Net;
using System.Net.Sockets;
using MqttNetChannel = MQTTnet.Channel;

namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// Opens the TCP connection for MQTTnet and keeps the socket, so the connection can be cut without a DISCONNECT
/// (as a crash or a pulled cable would): the broker then publishes the will.
/// </summary>
internal sealed class SocketStreamProvider : MqttNetChannel.IMqttClientStreamProvider
{
    private Socket? _socket;

    /// <summary>True once the TCP connection stood: a failure after that is the handshake's, not the network's.</summary>
    public bool Connected => _socket is not null;

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var addresses = brokerEndPoint switch
        {
            IPEndPoint ip => [ip.Address],
            DnsEndPoint dns when IPAddress.TryParse(dns.Host, out var parsed) => [parsed],
            DnsEndPoint dns => await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false),
            _ => throw new ArgumentException($"Unsupported broker end point {brokerEndPoint}.", nameof(brokerEndPoint)),
        };
        var port = brokerEndPoint switch
        {
            IPEndPoint ip => ip.Port,
            DnsEndPoint dns => dns.Port,
            _ => 0,
        };

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                _socket = socket;
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>Closes the socket at once, without DISCONNECT.</summary>
    public void Abort()
    {
        try
        {
            _socket?.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
