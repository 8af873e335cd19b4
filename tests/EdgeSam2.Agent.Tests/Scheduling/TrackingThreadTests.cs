using EdgeSam2.Agent.Scheduling;

namespace EdgeSam2.Agent.Tests.Scheduling;

/// <summary>The camera's dedicated tracking thread: work runs on it (not on a pool thread), failures reach the awaiter, dispose joins.</summary>
public sealed class TrackingThreadTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_ManyRuns_EachRunsOnTheOneDedicatedThread()
    {
        var threads = new HashSet<int>();
        var pool = 0;
        var runs = 0;
        Thread? worker = null;
        using (var tracking = new TrackingThread("track test", () =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            pool += Thread.CurrentThread.IsThreadPoolThread ? 1 : 0;
            worker = Thread.CurrentThread;
            runs++;
        }))
        {
            for (var i = 0; i < 50; i++)
            {
                await tracking.RunAsync().AsTask().WaitAsync(Timeout);
            }
        }

        Assert.Equal(50, runs);
        Assert.Single(threads);
        Assert.Equal(0, pool);
        Assert.Equal("track test", worker!.Name);
        Assert.False(worker.IsAlive); // joined by Dispose
    }

    [Fact]
    public async Task RunAsync_WorkThrows_ExceptionReachesTheAwaiterAndTheThreadServesOn()
    {
        var fail = true;
        using var tracking = new TrackingThread("track test", () =>
        {
            if (fail)
            {
                throw new InvalidOperationException("graph failed");
            }
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => tracking.RunAsync().AsTask().WaitAsync(Timeout));
        Assert.Equal("graph failed", error.Message);
        fail = false;
        await tracking.RunAsync().AsTask().WaitAsync(Timeout);
    }

    [Fact]
    public async Task RunAsync_AfterDispose_Throws()
    {
        var tracking = new TrackingThread("track test", () => { });
        tracking.Dispose();
        tracking.Dispose(); // twice is harmless
        await Assert.ThrowsAsync<ObjectDisposedException>(() => tracking.RunAsync().AsTask());
    }
}
