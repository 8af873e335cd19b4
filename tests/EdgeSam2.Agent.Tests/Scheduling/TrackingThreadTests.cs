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
        var tracking = new TrackingThread("track test", () =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            pool += Thread.CurrentThread.IsThreadPoolThread ? 1 : 0;
            worker = Thread.CurrentThread;
            runs++;
        });
        for (var i = 0; i < 50; i++)
        {
            await tracking.RunAsync().AsTask().WaitAsync(Timeout);
        }

        // The awaiter continues on the tracking thread (inline); disposed from another thread, Dispose joins it.
        await Task.Run(tracking.Dispose).WaitAsync(Timeout);
        Assert.Equal(50, runs);
        Assert.Single(threads);
        Assert.Equal(0, pool);
        Assert.Equal("track test", worker!.Name);
        Assert.False(worker.IsAlive); // joined by Dispose
    }

    [Fact]
    public async Task RunAsync_RunCompletes_AwaiterContinuesOnTheTrackingThreadAndCanStartTheNextRun()
    {
        Thread? worker = null;
        using var release = new ManualResetEventSlim();
        using var tracking = new TrackingThread("track test", () =>
        {
            worker = Thread.CurrentThread;
            release.Wait(Timeout); // held until the awaiter below is registered
        });

        var continued = ContinueAsync(tracking.RunAsync());
        release.Set();
        var (first, second) = await continued.WaitAsync(Timeout);
        Assert.Same(worker, first); // no hop through the thread pool between two frames
        Assert.Same(worker, second);

        // Awaits one run (not yet complete), then starts the next from the continuation on the thread itself: it runs
        // once that continuation yields.
        async Task<(Thread First, Thread Second)> ContinueAsync(ValueTask run)
        {
            // As the frame loop does: no captured context, which would receive the continuation instead.
            await run.ConfigureAwait(false);
            var afterFirst = Thread.CurrentThread;
            await tracking.RunAsync().ConfigureAwait(false);
            return (afterFirst, Thread.CurrentThread);
        }
    }

    [Fact]
    public async Task Dispose_FromTheTrackingThreadItself_ReturnsAndTheThreadEnds()
    {
        Thread? worker = null;
        using var release = new ManualResetEventSlim();
        var tracking = new TrackingThread("track test", () =>
        {
            worker = Thread.CurrentThread;
            release.Wait(Timeout);
        });

        var disposed = DisposeAfterAsync(tracking.RunAsync());
        release.Set();
        var continuedOn = await disposed.WaitAsync(Timeout);
        Assert.Same(worker, continuedOn);
        await Task.Run(() => Assert.True(worker!.Join(Timeout), "the tracking thread did not end")).WaitAsync(Timeout);

        // Disposed in the continuation, on the tracking thread: it must not join itself.
        async Task<Thread> DisposeAfterAsync(ValueTask run)
        {
            await run.ConfigureAwait(false);
            tracking.Dispose();
            return Thread.CurrentThread;
        }
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
