using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeSam2.Bench.Agent.Rtsp;
using EdgeSam2.Video;

namespace EdgeSam2.Bench.Agent;

/// <summary>
/// The bench as a camera: it serves a scene's H.264 (<see cref="EdgeSam2.Scenes.SceneVideoCodec.H264Stream"/>) on a
/// TCP port of 127.0.0.1, as a raw byte stream or over RTSP (<see cref="CameraProtocol"/>), and sends each connection
/// (each RTSP session, from its PLAY) the stream from its start, one access unit each frame period, as a camera sends
/// each frame when it is encoded, recording the moment each was handed to the socket. A frame's latency is
/// then measured from that moment, which is what a robot waits from: everything after the camera (ffmpeg's probing,
/// parsing and decoding, the agent, MQTT) is in it, and no clock of the agent's own is trusted. After the last unit the
/// connection is closed (an RTSP session is sent an RTCP BYE), so the decoder gives out the last frame too (a parser
/// holds a unit until the next one starts).
/// The agent's ffprobe connects too (for the source's size; for a GStreamer decoder a second time, just before it), and
/// goes after probing: the decoder's connection is the one sent the most units, the latest of equals (ffprobe may stay
/// for a short stream's whole length); <see cref="Ambiguity"/> says when that choice cannot be trusted.
/// </summary>
internal sealed class CameraFeed : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly byte[] _stream;
    private readonly List<int> _units;
    private readonly TimeSpan _period;
    private readonly Lock _gate = new();
    private readonly List<Connection> _connections = [];
    private readonly List<Task> _serving = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly CameraProtocol _protocol;
    private readonly double _framesPerSecond;
    private readonly string _sdp;
    private int _disposed;

    private CameraFeed(byte[] stream, List<int> units, double framesPerSecond, CameraProtocol protocol, string sdp)
    {
        _stream = stream;
        _units = units;
        _framesPerSecond = framesPerSecond;
        _period = TimeSpan.FromSeconds(1 / framesPerSecond);
        _protocol = protocol;
        _sdp = sdp;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The URL the agent's camera reads: <c>rtsp://…</c>, or <c>tcp://…</c> for the raw stream (with <c>InputFormat</c> <c>h264</c>).</summary>
    public string Url => _protocol == CameraProtocol.Rtsp
        ? $"rtsp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/camera"
        : $"tcp://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Frames (access units) in the stream.</summary>
    public int Frames => _units.Count - 1;

    /// <summary>Connections served so far.</summary>
    public int Connections
    {
        get
        {
            lock (_gate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Serves <paramref name="path"/>, a raw H.264 stream with a delimiter before each frame, at <paramref name="framesPerSecond"/>.</summary>
    public static async Task<CameraFeed> StartAsync(
        string path, int expectedFrames, double framesPerSecond, CameraProtocol protocol, CancellationToken cancellationToken)
    {
        var stream = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var units = H264AccessUnits.Boundaries(stream);
        if (units.Count - 1 != expectedFrames)
        {
            throw new BenchFailure($"{path} holds {units.Count - 1} access units, not one for each of the scene's {expectedFrames} frames");
        }

        // Described before the first connection can be accepted.
        return new CameraFeed(stream, units, framesPerSecond, protocol, protocol == CameraProtocol.Rtsp ? RtspSession.Describe(stream) : "");
    }

    /// <summary>
    /// When frame <paramref name="frame"/> was handed to the decoder's socket (<see cref="Stopwatch"/> timestamp): the
    /// connection sent the most units, the latest of equals; null if that connection did not send it.
    /// </summary>
    public long? SentTimestamp(long frame)
    {
        var decoder = DecoderConnection();
        return decoder is not null && frame >= 0 && frame < decoder.Sent.Length && Volatile.Read(ref decoder.Sent[frame]) is var sent and not 0 ? sent : null;
    }

    /// <summary>Milliseconds from frame <paramref name="frame"/>'s sending to <paramref name="receivedTimestamp"/> (<see cref="Stopwatch"/>); null if it was not sent.</summary>
    public double? MillisecondsSinceSent(long frame, long receivedTimestamp) =>
        SentTimestamp(frame) is { } sent ? Stopwatch.GetElapsedTime(sent, receivedTimestamp).TotalMilliseconds : null;

    /// <summary>Why the decoder's connection stopped before the end of the stream, if it did.</summary>
    public string? Failure => DecoderConnection() is { } decoder && Volatile.Read(ref decoder.Count) < Frames
        ? $"{decoder.Failure ?? "the connection ended"} after {decoder.Count} of {Frames} frames ({Connections} connection(s))"
        : null;

    /// <summary>Each connection served: when it began (ms after the first), the units it was sent and how it ended.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            if (_connections.Count == 0)
            {
                return "no connection";
            }

            var first = Volatile.Read(ref _connections[0].Sent[0]);
            return string.Join("; ", _connections.Select((c, i) => string.Create(
                CultureInfo.InvariantCulture,
                $"#{i + 1} from +{(Volatile.Read(ref c.Sent[0]) is var sent and not 0 && first != 0 ? Stopwatch.GetElapsedTime(first, sent).TotalMilliseconds : 0):0} ms, {Volatile.Read(ref c.Count)} of {Frames} units{(c.Failure is { } f ? $" ({f})" : "")}")));
        }
    }

    /// <summary>
    /// Why the frame-to-unit mapping may be wrong, or null: more connections than <paramref name="probes"/> and the
    /// decoder's (the decoder reconnected, and the agent's frame numbers run on across a restart while each connection
    /// starts the stream again), or two connections sent the whole stream (ffprobe stayed to the end; the later one is
    /// taken as the decoder's).
    /// </summary>
    /// <param name="probes">The ffprobe connections expected before the decoder's: 1 for ffmpeg, 2 for GStreamer.</param>
    public string? Ambiguity(int probes)
    {
        lock (_gate)
        {
            var complete = _connections.Count(c => Volatile.Read(ref c.Count) == Frames);
            return _connections.Count > probes + 1 ? $"{_connections.Count} connections: the decoder reconnected, so frame numbers after its restart map to the wrong units"
                : complete > 1 ? $"{complete} connections were sent the whole stream; the later one is taken as the decoder's"
                : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return; // once: a test may end the feed before its using does
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        Task[] serving;
        lock (_gate)
        {
            serving = [.. _serving];
        }

        await Task.WhenAll(serving).ConfigureAwait(false);
        _stop.Dispose();
    }

    private Connection? DecoderConnection()
    {
        lock (_gate)
        {
            Connection? best = null;
            foreach (var c in _connections)
            {
                if (best is null || Volatile.Read(ref c.Count) >= Volatile.Read(ref best.Count)) // in accept order: the latest of equals
                {
                    best = c;
                }
            }

            return best;
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                var connection = new Connection(Frames);
                lock (_gate)
                {
                    _connections.Add(connection);
                    _serving.Add(Task.Run(() => ServeAsync(client, connection)));
                }
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopped: the listener's stop ends the pending accept with whatever the socket layer throws.
        }
    }

    private async Task ServeAsync(TcpClient client, Connection connection)
    {
        RtspSession? session = null;
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var socket = client.GetStream();
                session = _protocol == CameraProtocol.Rtsp
                    ? await RtspSession.AcceptAsync(socket, Url, _sdp, _stop.Token).ConfigureAwait(false)
                    : null;
                if (_protocol == CameraProtocol.Rtsp && session is null)
                {
                    connection.Failure = "left before PLAY";
                    return;
                }

                var start = Stopwatch.GetTimestamp();
                for (var k = 0; k < Frames; k++)
                {
                    var due = (_period * k) - Stopwatch.GetElapsedTime(start);
                    if (due > TimeSpan.Zero)
                    {
                        // A session torn down while the camera waits ends the sending then, not at the next frame.
                        var delay = Task.Delay(due, _stop.Token);
                        await (session is null ? delay : Task.WhenAny(delay, session.Closed)).ConfigureAwait(false);
                        _stop.Token.ThrowIfCancellationRequested();
                    }

                    var unit = _stream.AsMemory(_units[k], _units[k + 1] - _units[k]);
                    if (session is { Closed.IsCompleted: true })
                    {
                        connection.Failure = "the client ended its session";
                        return;
                    }

                    Volatile.Write(ref connection.Sent[k], Stopwatch.GetTimestamp());
                    await (session is null
                        ? socket.WriteAsync(unit, _stop.Token).AsTask()
                        : session.SendAsync(unit, RtpTimestamp(k), _stop.Token)).ConfigureAwait(false);
                    Volatile.Write(ref connection.Count, k + 1);
                }

                if (session is null)
                {
                    client.Client.Shutdown(SocketShutdown.Send);
                }
                else
                {
                    // BYE, then the connection stays until the client closes it: closing first may reach the client
                    // before the BYE has been read, an error where BYE is a clean end.
                    await session.EndAsync(_stop.Token).ConfigureAwait(false);
                    await session.Closed.WaitAsync(_stop.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                connection.Failure = e.Message; // ffprobe leaving after its probe ends its connection this way
            }
        }

        if (session is not null)
        {
            await session.Closed.ConfigureAwait(false); // its reader ends with the socket closed above: none outlives the feed
        }
    }

    /// <summary>Frame <paramref name="k"/>'s RTP timestamp (90 kHz), wrapping at 2³² as RTP's does (after 13 h).</summary>
    private uint RtpTimestamp(long k) => unchecked((uint)(long)Math.Round(k * (double)RtpH264.ClockRate / _framesPerSecond));

    /// <summary>One connection's send times (<see cref="Stopwatch"/> timestamps, 0 until sent) and how far it got.</summary>
    private sealed class Connection(int frames)
    {
        public readonly long[] Sent = new long[frames];
        public int Count;
        public string? Failure;
    }
}
