using System.Net;
using System.Net.Sockets;
using EdgeSam2.Mqtt.Client;
using EdgeSam2.Mqtt.Packets;

namespace EdgeSam2.Mqtt.Tests.Fakes;

/// <summary>
/// A loopback listener the test drives packet by packet, for broker behaviour mosquitto cannot be made to show:
/// a 3.1.1-only broker, a broker that stops answering pings, refusals of single publications.
/// </summary>
internal sealed class ScriptedBroker : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public ScriptedBroker() => _listener.Start();

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<ScriptedConnection> AcceptAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var socket = await _listener.AcceptSocketAsync(cts.Token);
        return new ScriptedConnection(socket);
    }

    public void Dispose() => _listener.Stop();
}

internal readonly record struct ReceivedPacket(PacketType Type, byte Flags, byte[] Body);

internal sealed class ScriptedConnection(Socket socket) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private FrameReader? _frames;

    /// <summary>The next packet from the client, or null when it closed the connection.</summary>
    public async Task<ReceivedPacket?> ReadAsync()
    {
        _frames ??= new FrameReader(_stream, 1 << 20);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var frame = await _frames.ReadAsync(cts.Token);
        return frame.Status == FrameStatus.Packet
            ? new ReceivedPacket(frame.Header.Type, frame.Header.Flags, frame.Body.ToArray())
            : null;
    }

    /// <summary>Reads packets until one of <paramref name="type"/> arrives.</summary>
    public async Task<ReceivedPacket> ReadUntilAsync(PacketType type)
    {
        while (true)
        {
            var packet = await ReadAsync() ?? throw new InvalidOperationException($"Connection closed before {type}.");
            if (packet.Type == type)
            {
                return packet;
            }
        }
    }

    public async Task SendAsync(string hex)
    {
        await _stream.WriteAsync(Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        await _stream.FlushAsync();
    }

    public void Dispose()
    {
        _frames?.Dispose();
        _stream.Dispose();
    }
}
