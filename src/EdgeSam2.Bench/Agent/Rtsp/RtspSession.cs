using System.Globalization;
using System.Text;
using EdgeSam2.Video;

namespace EdgeSam2.Bench.Agent.Rtsp;

/// <summary>
/// The server side of one client's RTSP session (RFC 2326) on its TCP connection, the RTP and RTCP interleaved on it
/// (10.12), which is how the agent reads RTSP cameras (<c>-rtsp_transport tcp</c>, <c>rtspsrc protocols=tcp</c>).
/// <see cref="AcceptAsync"/> answers OPTIONS, DESCRIBE and SETUP until the client's PLAY; from then on the camera sends
/// each access unit with <see cref="SendAsync"/> while the session goes on answering the client (keep-alives,
/// TEARDOWN) and drops what the client sends interleaved (its RTCP reports). One track, H.264 (<see cref="RtpH264"/>).
/// </summary>
internal sealed class RtspSession
{
    private const int MaxRequestBytes = 16 * 1024;
    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly Stream _stream;
    private readonly string _url;
    private readonly string _sdp;
    private readonly string _id = Random.Shared.NextInt64(1L << 40, 1L << 48).ToString("x", CultureInfo.InvariantCulture);
    private readonly RtpH264 _rtp = new((uint)Random.Shared.Next());
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly byte[] _buffer = new byte[MaxRequestBytes];
    private int _start;
    private int _end;
    private byte _rtpChannel;
    private byte _rtcpChannel = 1;
    private bool _setUp;

    private RtspSession(Stream stream, string url, string sdp)
    {
        _stream = stream;
        _url = url;
        _sdp = sdp;
    }

    /// <summary>Completes when the client has torn the session down or closed its connection (from PLAY on).</summary>
    public Task Closed { get; private set; } = Task.CompletedTask;

    /// <summary>
    /// Answers the client until it sends PLAY and returns the playing session, or null when it leaves (or tears down)
    /// first. <paramref name="sdp"/> is the description DESCRIBE returns (<see cref="Describe"/>).
    /// </summary>
    public static async Task<RtspSession?> AcceptAsync(Stream stream, string url, string sdp, CancellationToken cancellationToken)
    {
        var session = new RtspSession(stream, url, sdp);
        while (await session.ReadRequestAsync(cancellationToken).ConfigureAwait(false) is { } request)
        {
            if (await session.AnswerAsync(request, cancellationToken).ConfigureAwait(false) is { } playing)
            {
                if (!playing)
                {
                    return null;
                }

                session.Closed = Task.Run(() => session.AnswerUntilClosedAsync(cancellationToken), CancellationToken.None);
                return session;
            }
        }

        return null;
    }

    /// <summary>The SDP of an H.264 stream (Annex B): its first SPS and PPS as sprop-parameter-sets, as cameras describe theirs.</summary>
    public static string Describe(ReadOnlySpan<byte> stream)
    {
        string? sps = null, pps = null, profile = null;
        foreach (var (start, length) in H264AccessUnits.NalUnits(stream))
        {
            var nal = stream.Slice(start, length);
            switch (nal[0] & 0x1f)
            {
                case 7 when sps is null && nal.Length >= 4:
                    sps = Convert.ToBase64String(nal);
                    profile = Convert.ToHexString(nal.Slice(1, 3));
                    break;
                case 8 when pps is null:
                    pps = Convert.ToBase64String(nal);
                    break;
            }
        }

        if (sps is null || pps is null)
        {
            throw new BenchFailure("the camera's H.264 stream holds no SPS or no PPS to describe it by");
        }

        return string.Create(CultureInfo.InvariantCulture, $"""
            v=0
            o=- 0 0 IN IP4 127.0.0.1
            s=EdgeSam2 bench camera
            c=IN IP4 127.0.0.1
            t=0 0
            m=video 0 RTP/AVP {RtpH264.PayloadType}
            a=rtpmap:{RtpH264.PayloadType} H264/{RtpH264.ClockRate}
            a=fmtp:{RtpH264.PayloadType} packetization-mode=1;profile-level-id={profile};sprop-parameter-sets={sps},{pps}
            a=control:track0

            """).ReplaceLineEndings("\r\n");
    }

    /// <summary>Sends one access unit, all its packets in one write, as a camera sends a frame once it is encoded.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> accessUnit, uint timestamp, CancellationToken cancellationToken)
    {
        var packets = _rtp.Packets(accessUnit.Span, timestamp);
        var framed = new byte[packets.Sum(p => p.Length + 4)];
        var at = 0;
        foreach (var packet in packets)
        {
            at = Interleave(framed, at, _rtpChannel, packet);
        }

        await WriteAsync(framed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Tells the client the stream has ended (RTCP BYE), so its decoder gives out the last frame and stops.</summary>
    public async Task EndAsync(CancellationToken cancellationToken)
    {
        var bye = _rtp.Bye();
        var framed = new byte[bye.Length + 4];
        Interleave(framed, 0, _rtcpChannel, bye);
        await WriteAsync(framed, cancellationToken).ConfigureAwait(false);
    }

    private static int Interleave(byte[] into, int at, byte channel, byte[] packet)
    {
        into[at] = (byte)'$';
        into[at + 1] = channel;
        into[at + 2] = (byte)(packet.Length >> 8);
        into[at + 3] = (byte)packet.Length;
        packet.CopyTo(into, at + 4);
        return at + 4 + packet.Length;
    }

    /// <summary>Answers one request; true once it was PLAY, false once it was TEARDOWN, null otherwise.</summary>
    private async Task<bool?> AnswerAsync(Request request, CancellationToken cancellationToken)
    {
        switch (request.Method)
        {
            case "OPTIONS":
                await RespondAsync(request, "200 OK", "Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER\r\n", cancellationToken).ConfigureAwait(false);
                return null;
            case "DESCRIBE":
                await RespondAsync(request, "200 OK", $"Content-Base: {_url}/\r\nContent-Type: application/sdp\r\n", cancellationToken, _sdp).ConfigureAwait(false);
                return null;
            case "SETUP":
                return await SetUpAsync(request, cancellationToken).ConfigureAwait(false);
            case "PLAY" when _setUp:
                await RespondAsync(request, "200 OK", "Range: npt=0.000-\r\n", cancellationToken).ConfigureAwait(false);
                return true;
            case "PLAY":
                await RespondAsync(request, "455 Method Not Valid in This State", "", cancellationToken).ConfigureAwait(false);
                return null;
            case "TEARDOWN":
                await RespondAsync(request, "200 OK", "", cancellationToken).ConfigureAwait(false);
                return false;
            case "GET_PARAMETER" or "SET_PARAMETER":
                await RespondAsync(request, "200 OK", "", cancellationToken).ConfigureAwait(false);
                return null;
            default:
                await RespondAsync(request, "501 Not Implemented", "", cancellationToken).ConfigureAwait(false);
                return null;
        }
    }

    /// <summary>Only RTP interleaved on this connection: a client asking for UDP is told so (461), as the agent never does.</summary>
    private async Task<bool?> SetUpAsync(Request request, CancellationToken cancellationToken)
    {
        var transport = request.Header("Transport");
        if (!transport.Contains("RTP/AVP/TCP", StringComparison.OrdinalIgnoreCase))
        {
            await RespondAsync(request, "461 Unsupported Transport", "", cancellationToken).ConfigureAwait(false);
            return null;
        }

        var interleaved = transport.Split(';').Select(p => p.Trim()).FirstOrDefault(p => p.StartsWith("interleaved=", StringComparison.OrdinalIgnoreCase));
        if (interleaved is not null && interleaved["interleaved=".Length..].Split('-') is [var rtp, var rtcp]
            && byte.TryParse(rtp, CultureInfo.InvariantCulture, out var rtpChannel) && byte.TryParse(rtcp, CultureInfo.InvariantCulture, out var rtcpChannel))
        {
            (_rtpChannel, _rtcpChannel) = (rtpChannel, rtcpChannel);
        }

        _setUp = true;
        await RespondAsync(
            request, "200 OK", $"Transport: RTP/AVP/TCP;unicast;interleaved={_rtpChannel}-{_rtcpChannel};ssrc={_rtp.Ssrc:X8}\r\n", cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task AnswerUntilClosedAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await ReadRequestAsync(cancellationToken).ConfigureAwait(false) is { } request)
            {
                if (await AnswerAsync(request, cancellationToken).ConfigureAwait(false) == false)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went, or the camera stopped: either way the session is over.
        }
    }

    private Task RespondAsync(Request request, string status, string headers, CancellationToken cancellationToken, string body = "")
    {
        var session = _setUp ? $"Session: {_id};timeout=60\r\n" : "";
        var response = $"RTSP/1.0 {status}\r\nCSeq: {request.Header("CSeq")}\r\n{session}{headers}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
        return WriteAsync(Encoding.UTF8.GetBytes(response), cancellationToken);
    }

    private async Task WriteAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>The client's next request, skipping what it sends interleaved; null when it has closed the connection.</summary>
    private async Task<Request?> ReadRequestAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await FillAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (_buffer[_start] == (byte)'$')
            {
                if (!await FillAsync(4, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var length = (_buffer[_start + 2] << 8) | _buffer[_start + 3];
                if (!await FillAsync(4 + length, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                _start += 4 + length;
                continue;
            }

            int end;
            while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf(HeaderEnd)) < 0)
            {
                if (!await FillAsync(_end - _start + 1, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }
            }

            var request = Request.Parse(Encoding.UTF8.GetString(_buffer, _start, end));
            _start += end + HeaderEnd.Length;
            if (int.TryParse(request.Header("Content-Length"), CultureInfo.InvariantCulture, out var body) && body > 0)
            {
                if (!await FillAsync(body, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                _start += body; // SET_PARAMETER's body: nothing here needs it
            }

            return request;
        }
    }

    /// <summary>Reads until <paramref name="count"/> bytes are buffered; false at the end of the connection.</summary>
    private async Task<bool> FillAsync(int count, CancellationToken cancellationToken)
    {
        if (count > _buffer.Length)
        {
            throw new IOException($"an RTSP message of over {MaxRequestBytes} bytes");
        }

        if (_start + count > _buffer.Length)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            (_start, _end) = (0, _end - _start);
        }

        while (_end - _start < count)
        {
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }

    private sealed record Request(string Method, Dictionary<string, string> Headers)
    {
        public static Request Parse(string head)
        {
            var lines = head.Split("\r\n");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            return new Request(lines[0].Split(' ')[0], headers);
        }

        public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
    }
}
