using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EdgeSam2.Bench.Agent;
using EdgeSam2.Bench.Scenes;
using EdgeSam2.Scenes;

namespace EdgeSam2.Bench.Tests;

/// <summary>
/// The bench's camera over RTSP, read by the real clients the agent runs: ffmpeg's RTSP demuxer and GStreamer's
/// <c>rtspsrc</c>, each to the end of the stream (the camera's RTCP BYE), and by a raw socket for what they never send.
/// </summary>
public sealed class RtspCameraFeedTests : IDisposable
{
    private const int Frames = 30;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-rtsp-feed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Ffmpeg_ReadsTheWholeStream_FrameForFrameAsDecodedFromTheFile_AndEndsAtTheBye()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (path, feed) = await StartFeedAsync(timeout.Token);
        await using var _ = feed;

        var fromFile = FrameHashes(await RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-fps_mode", "passthrough", "-f", "framemd5", "-"], timeout.Token));
        var overRtsp = FrameHashes(await RunAsync(
            "ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", feed.Url, "-fps_mode", "passthrough", "-f", "framemd5", "-"], timeout.Token));

        Assert.Equal(Frames, fromFile.Count);
        Assert.Equal(fromFile, overRtsp);
        Assert.Null(feed.Failure);
        Assert.Equal(1, feed.Connections);
    }

    [Fact]
    public async Task GStreamer_ReadsEveryFrame_AndEndsAtTheBye()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (_, feed) = await StartFeedAsync(timeout.Token);
        await using var _ = feed;

        var output = await RunAsync(
            "gst-launch-1.0",
            ["-q", "-e", "rtspsrc", $"location={feed.Url}", "protocols=tcp", "!", "rtph264depay", "!", "avdec_h264", "!", "videoconvert", "!", "videoscale", "!",
                "video/x-raw,format=GRAY8,width=16,height=16", "!", "fdsink", "fd=1", "sync=false"],
            timeout.Token);

        Assert.Equal(Frames * 16 * 16, output.Length);
        Assert.Null(feed.Failure);
    }

    [Fact]
    public async Task Client_AskingForUdp_IsTold461_AndPlayBeforeSetupIs455_WhileGarbageGets501()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (_, feed) = await StartFeedAsync(timeout.Token);
        await using var _ = feed;
        var url = new Uri(feed.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, timeout.Token);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);

        async Task<string> Ask(string request)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
            var status = await reader.ReadLineAsync(timeout.Token) ?? "";
            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(timeout.Token)))
            {
                // the headers; none of these answers has a body
            }

            return status;
        }

        Assert.Equal("RTSP/1.0 461 Unsupported Transport", await Ask($"SETUP {feed.Url}/track0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=5000-5001\r\n\r\n"));
        Assert.Equal("RTSP/1.0 455 Method Not Valid in This State", await Ask($"PLAY {feed.Url} RTSP/1.0\r\nCSeq: 2\r\n\r\n"));
        Assert.Equal("RTSP/1.0 501 Not Implemented", await Ask("HELLO\r\nCSeq: 3\r\n\r\n"));
        Assert.Null(feed.SentTimestamp(0));
    }

    [Fact]
    public async Task Playing_ClientsInterleavedReportsAreSkipped_KeepAliveAnsweredBetweenPackets_TeardownStopsTheSending()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (_, feed) = await StartFeedAsync(timeout.Token, framesPerSecond: 25); // 1.2 s of stream: the requests come while it plays
        await using var _ = feed;
        var url = new Uri(feed.Url);
        using var client = new TcpClient();
        await client.ConnectAsync(url.Host, url.Port, timeout.Token);
        var stream = client.GetStream();
        var session = new ClientSide(stream);

        await session.SendAsync($"SETUP {feed.Url}/track0 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n", timeout.Token);
        Assert.StartsWith("RTSP/1.0 200 OK", await session.ResponseAsync(timeout.Token), StringComparison.Ordinal);
        await session.SendAsync($"PLAY {feed.Url} RTSP/1.0\r\nCSeq: 2\r\n\r\n", timeout.Token);
        Assert.StartsWith("RTSP/1.0 200 OK", await session.ResponseAsync(timeout.Token), StringComparison.Ordinal);
        Assert.True(await session.PacketAsync(timeout.Token) > 0, "no RTP after PLAY");

        // An RTCP receiver report, interleaved as clients send them, then a keep-alive in the same write.
        byte[] report = [(byte)'$', 1, 0, 8, 0x80, 201, 0, 1, 1, 2, 3, 4];
        byte[] both = [.. report, .. Encoding.ASCII.GetBytes($"GET_PARAMETER {feed.Url} RTSP/1.0\r\nCSeq: 3\r\n\r\n")];
        await stream.WriteAsync(both, timeout.Token);
        var keepAlive = await session.ResponseAsync(timeout.Token); // the RTP packets before it are skipped
        Assert.StartsWith("RTSP/1.0 200 OK", keepAlive, StringComparison.Ordinal);
        Assert.Contains("CSeq: 3", keepAlive, StringComparison.Ordinal);

        await session.SendAsync($"TEARDOWN {feed.Url} RTSP/1.0\r\nCSeq: 4\r\n\r\n", timeout.Token);
        Assert.Contains("CSeq: 4", await session.ResponseAsync(timeout.Token), StringComparison.Ordinal);
        await session.UntilClosedAsync(timeout.Token); // the camera closes the connection once the session is torn down

        Assert.Contains("the client ended its session", feed.Failure, StringComparison.Ordinal);
        Assert.Null(feed.SentTimestamp(Frames - 1));
    }

    [Fact]
    public async Task OversizedRequest_EndsThatSession_TheFeedStillServesAndStops()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (path, feed) = await StartFeedAsync(timeout.Token);
        await using var _ = feed;
        var url = new Uri(feed.Url);
        using (var hostile = new TcpClient())
        {
            await hostile.ConnectAsync(url.Host, url.Port, timeout.Token);
            await hostile.GetStream().WriteAsync(Encoding.ASCII.GetBytes($"OPTIONS {feed.Url} RTSP/1.0\r\nX-Padding: {new string('a', 20_000)}\r\n\r\n"), timeout.Token);
            // Closed without an answer: an orderly end, or a reset since the rest of the request was never read.
            int answered;
            try
            {
                answered = await hostile.GetStream().ReadAsync(new byte[1], timeout.Token);
            }
            catch (IOException)
            {
                answered = 0;
            }

            Assert.Equal(0, answered);
        }

        var frames = FrameHashes(await RunAsync(
            "ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", feed.Url, "-fps_mode", "passthrough", "-f", "framemd5", "-"], timeout.Token));
        Assert.Equal(FrameHashes(await RunAsync("ffmpeg", ["-hide_banner", "-nostdin", "-loglevel", "error", "-i", path, "-fps_mode", "passthrough", "-f", "framemd5", "-"], timeout.Token)), frames);
    }

    private async Task<(string Path, CameraFeed Feed)> StartFeedAsync(CancellationToken cancellationToken, double framesPerSecond = 250)
    {
        var path = Path.Combine(_dir, "scene.h264");
        await new GridScene(1, Frames, 25).WriteAsync(path, SceneVideoCodec.H264Stream, cancellationToken);
        return (path, await CameraFeed.StartAsync(path, Frames, framesPerSecond, CameraProtocol.Rtsp, cancellationToken));
    }

    /// <summary>A client's reading of one RTSP connection: responses, and the interleaved packets between them.</summary>
    private sealed class ClientSide(NetworkStream stream)
    {
        public Task SendAsync(string request, CancellationToken cancellationToken) => stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellationToken).AsTask();

        /// <summary>The next response's head, skipping interleaved packets before it.</summary>
        public async Task<string> ResponseAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                var first = await ByteAsync(cancellationToken);
                if (first == '$')
                {
                    await SkipPacketAsync(cancellationToken);
                    continue;
                }

                var head = new StringBuilder().Append((char)first);
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
                {
                    head.Append((char)await ByteAsync(cancellationToken));
                }

                return head.ToString();
            }
        }

        /// <summary>Skips what is still sent until the server closes the connection.</summary>
        public async Task UntilClosedAsync(CancellationToken cancellationToken)
        {
            try
            {
                while (true)
                {
                    await PacketAsync(cancellationToken);
                }
            }
            catch (EndOfStreamException)
            {
            }
        }

        /// <summary>The next interleaved packet's length (its channel's data skipped); a response before it fails the test.</summary>
        public async Task<int> PacketAsync(CancellationToken cancellationToken)
        {
            Assert.Equal('$', (char)await ByteAsync(cancellationToken));
            return await SkipPacketAsync(cancellationToken);
        }

        private async Task<int> SkipPacketAsync(CancellationToken cancellationToken)
        {
            var header = new byte[3];
            await stream.ReadExactlyAsync(header, cancellationToken);
            var length = (header[1] << 8) | header[2];
            await stream.ReadExactlyAsync(new byte[length], cancellationToken);
            return length;
        }

        private async Task<int> ByteAsync(CancellationToken cancellationToken)
        {
            var one = new byte[1];
            await stream.ReadExactlyAsync(one, cancellationToken);
            return one[0];
        }
    }

    /// <summary>The per-frame hashes of a framemd5 listing, without the timestamps (RTP's start elsewhere than the file's).</summary>
    private static List<string> FrameHashes(byte[] framemd5) =>
        [.. Encoding.ASCII.GetString(framemd5).Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(',')[^1].Trim())];

    private static async Task<byte[]> RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var errorsSoFar = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            using var output = new MemoryStream();
            var errors = errorsSoFar;
            await process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            Assert.True(process.ExitCode == 0, $"{program} exited with {process.ExitCode}: {await errors}");
            return output.ToArray();
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not end: {await errorsSoFar}");
            throw;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
