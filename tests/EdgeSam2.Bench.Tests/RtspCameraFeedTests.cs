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
        Assert.Equal(0, feed.SentTimestamp(0) ?? 0);
    }

    private async Task<(string Path, CameraFeed Feed)> StartFeedAsync(CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dir, "scene.h264");
        await new GridScene(1, Frames, 25).WriteAsync(path, SceneVideoCodec.H264Stream, cancellationToken);
        return (path, await CameraFeed.StartAsync(path, Frames, 250, cancellationToken, CameraProtocol.Rtsp));
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
