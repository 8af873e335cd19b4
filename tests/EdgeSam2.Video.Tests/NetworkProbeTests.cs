using System.Net;
using System.Net.Sockets;

namespace EdgeSam2.Video.Tests;

/// <summary>
/// A network stream without timestamps (raw H.264 over TCP, as MJPEG over HTTP) starts after about half a second of it:
/// real ffmpeg, run with a Live source's arguments (<see cref="FfmpegArguments"/>), connects to a server the test runs on
/// 127.0.0.1, gets 1.2 s of stream (30 units at 25 frames/s; with the half-second probe 20 units were enough and 16 were
/// not, measured) and no more, the connection left open as a live camera leaves it. ffmpeg's default probing wants 5 s
/// or 5 MB of stream first, so no frame comes out of that: the test then fails (checked by taking the probe limit out).
/// </summary>
public sealed class NetworkProbeTests(TestVideos videos) : IClassFixture<TestVideos>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);
    private const int Sent = 30;

    [Fact]
    public async Task Live_RawH264OverTcp_FirstFrameComesOutOfHalfASecondOfStream()
    {
        var stream = await File.ReadAllBytesAsync(videos.H264WithAccessUnitDelimiters(48));
        var units = H264AccessUnits.Boundaries(stream);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var options = new VideoSourceOptions
        {
            Url = $"tcp://127.0.0.1:{port}",
            OutputWidth = TestVideos.Width,
            OutputHeight = TestVideos.Height,
            Mode = SourceMode.Live,
            InputFormat = "h264",
            NetworkTimeout = TimeSpan.FromSeconds(60), // a read time-out would also end the probing: here only the probe limit may
        };
        using var ffmpeg = new FfmpegRun(options);
        using var client = await listener.AcceptTcpClientAsync().WaitAsync(Limit);
        await client.GetStream().WriteAsync(stream.AsMemory(0, units[Sent]));

        var frame = new byte[TestVideos.Width * TestVideos.Height * 3];
        using var timeout = new CancellationTokenSource(Limit);
        int read;
        try
        {
            read = await ffmpeg.Output.ReadAtLeastAsync(frame, frame.Length, throwOnEndOfStream: false, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            read = -1;
        }

        Assert.True(
            read == frame.Length,
            $"no frame out of {Sent} units of a live stream within {Limit.TotalSeconds} s (probing for more?); ffmpeg said: {ffmpeg.LastErrors}");
    }
}
