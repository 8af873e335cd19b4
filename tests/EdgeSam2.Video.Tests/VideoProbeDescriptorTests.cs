namespace EdgeSam2.Video.Tests;

/// <summary>Counts this process's descriptors, so it runs alone: another test's pipes would blur the count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DescriptorCountCollection
{
    public const string Name = "descriptor count";
}

[Collection(DescriptorCountCollection.Name)]
public sealed class VideoProbeDescriptorTests
{
    [Fact]
    public async Task ProbeAsync_CameraRefusingEveryTry_LeavesNoDescriptorOpen()
    {
        // A camera that is down is probed on every restart, for months: each probe's pipes must close with it, not
        // wait for a garbage collection (none runs inside the no-GC region, so a leak shows).
        var url = $"rtsp://127.0.0.1:{EdgeSam2.Testing.FreePort.Next()}/cam";
        await Assert.ThrowsAsync<VideoProbeException>(() => VideoProbe.ProbeAsync(url, CancellationToken.None));
        var before = Directory.GetFiles("/proc/self/fd").Length;
        Assert.True(GC.TryStartNoGCRegion(64 * 1024 * 1024));
        try
        {
            for (var i = 0; i < 10; i++)
            {
                await Assert.ThrowsAsync<VideoProbeException>(() => VideoProbe.ProbeAsync(url, CancellationToken.None));
            }

            var after = Directory.GetFiles("/proc/self/fd").Length;
            Assert.True(after - before < 10, $"{after - before} more descriptors open after 10 failed probes");
        }
        finally
        {
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }
}
