using System.Net.Sockets;
using EdgeSam2.Bench.Agent;
using EdgeSam2.Bench.Scenes;
using EdgeSam2.Scenes;

namespace EdgeSam2.Bench.Tests;

/// <summary>The bench's camera, over real loopback sockets, with a scene rendered by a real ffmpeg.</summary>
public sealed class CameraFeedTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-feed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Feed_TwoConnections_EachGetsTheWholeStream_TheOneThatStaysIsTheDecoders()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (path, url, feed) = await StartFeedAsync(20, timeout.Token);
        await using var _ = feed;
        var bytes = await File.ReadAllBytesAsync(path, timeout.Token);

        // A probe that reads a little and leaves, as ffprobe does, then the decoder, which reads to the end.
        using (var probe = new TcpClient())
        {
            await probe.ConnectAsync(url.Host, url.Port, timeout.Token);
            var first = new byte[16];
            await probe.GetStream().ReadExactlyAsync(first, timeout.Token);
            Assert.Equal(bytes.AsSpan(0, 16).ToArray(), first);
        }

        using var decoder = new TcpClient();
        await decoder.ConnectAsync(url.Host, url.Port, timeout.Token);
        using var received = new MemoryStream();
        await decoder.GetStream().CopyToAsync(received, timeout.Token); // the feed closes after the last unit

        Assert.Equal(bytes, received.ToArray());
        Assert.Equal(2, feed.Connections);
        Assert.Null(feed.Failure);
        Assert.Null(feed.Ambiguity(probes: 1));
        Assert.Contains("2 connections: the decoder reconnected", feed.Ambiguity(probes: 0), StringComparison.Ordinal);
        long previous = 0;
        for (var k = 0; k < 20; k++)
        {
            var sent = feed.SentTimestamp(k);
            Assert.NotNull(sent);
            Assert.True(sent > previous, $"frame {k} was not sent after frame {k - 1}");
            previous = sent.Value;
        }

        Assert.Null(feed.SentTimestamp(20));
    }

    [Fact]
    public async Task Feed_TwoConnectionsBothSentTheWholeStream_TheLaterIsTheDecoders_AndTheRunIsFlagged()
    {
        using var timeout = new CancellationTokenSource(Limit);
        var (_, url, feed) = await StartFeedAsync(10, timeout.Token);
        await using var _ = feed;
        using var probe = new TcpClient();
        await probe.ConnectAsync(url.Host, url.Port, timeout.Token);
        using var probed = new MemoryStream();
        await probe.GetStream().CopyToAsync(probed, timeout.Token); // a probe that stays to the end

        var decoderConnects = System.Diagnostics.Stopwatch.GetTimestamp();
        using var decoder = new TcpClient();
        await decoder.ConnectAsync(url.Host, url.Port, timeout.Token);
        using var decoded = new MemoryStream();
        await decoder.GetStream().CopyToAsync(decoded, timeout.Token);

        Assert.True(feed.SentTimestamp(0) > decoderConnects, "the send times taken are the probe's, not the decoder's");
        Assert.Contains("2 connections were sent the whole stream", feed.Ambiguity(probes: 1), StringComparison.Ordinal);
    }

    /// <summary>A one-object scene of <paramref name="frames"/> rendered by real ffmpeg and served at 500 frames/s (the pacing is the camera's; the test need not wait for it).</summary>
    private async Task<(string Path, Uri Url, CameraFeed Feed)> StartFeedAsync(int frames, CancellationToken cancellationToken)
    {
        var path = Path.Combine(_dir, $"scene{frames}.h264");
        await new GridScene(1, frames, 25).WriteAsync(path, SceneVideoCodec.H264Stream, cancellationToken);
        var feed = await CameraFeed.StartAsync(path, frames, 500, CameraProtocol.RawH264, cancellationToken);
        return (path, new Uri(feed.Url), feed);
    }

    [Fact]
    public async Task StartAsync_StreamWithoutAUnitPerFrame_RefusedWithTheCounts()
    {
        var path = Path.Combine(_dir, "short.h264");
        await File.WriteAllBytesAsync(path, [0, 0, 0, 1, 9, 0x10, 0, 0, 1, 0x65, 1]);

        var error = await Assert.ThrowsAsync<BenchFailure>(() => CameraFeed.StartAsync(path, 20, 25, CameraProtocol.RawH264, CancellationToken.None));

        Assert.Contains("holds 1 access units, not one for each of the scene's 20 frames", error.Message, StringComparison.Ordinal);
    }
}
