using EdgeSam2.Onnx.Sam2;

namespace EdgeSam2.Onnx.Tests.Sam2;

public sealed class LaneWorkerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0L)] // sleeps at once: every start wakes it
    [InlineData(50L)] // a few µs: starts land on both sides of the edge from spinning to sleeping
    [InlineData(1_000_000L)] // spins through
    public async Task StartJoin_ManyRounds_EachRunsExactlyOnce_OnTheWorkerOrByTheCaller(long spinTicks)
    {
        var runs = 0;
        var threads = new HashSet<int>();
        var caller = 0;
        using var worker = new LaneWorker("test-lane", () => { Interlocked.Increment(ref runs); lock (threads) { threads.Add(Environment.CurrentManagedThreadId); } }, spinTicks);

        await Task.Run(() =>
        {
            caller = Environment.CurrentManagedThreadId;
            for (var i = 0; i < 500; i++)
            {
                worker.Start();
                worker.Join();
                Assert.Equal(i + 1, Volatile.Read(ref runs));
            }
        }).WaitAsync(Limit);

        // Join claims a start the worker has not begun (here often: the caller joins at once), so a run is either side's.
        Assert.Equal(500, worker.Runs + worker.RunsByCaller);
        Assert.InRange(threads.Count, 1, 2);
        Assert.Equal(worker.RunsByCaller > 0, threads.Contains(caller));
    }

    [Fact]
    public async Task Join_WorkerNotBegun_CallerRunsIt_AndTheWorkerNeverRunsThatStartAgain()
    {
        var runs = 0;
        using var begun = new SemaphoreSlim(0);
        using var release = new SemaphoreSlim(0);
        var holdOnWorker = false;
        var worker = new LaneWorker("test-lane", () =>
        {
            Interlocked.Increment(ref runs);
            if (holdOnWorker && Thread.CurrentThread.Name == "test-lane") // the worker's own thread, not the caller's
            {
                begun.Release();
                release.Wait(Limit);
            }
        }, spinTicks: 0, startThread: false);
        using (worker)
        {
            await Task.Run(async () =>
            {
                // No worker thread yet: the start is the caller's to claim, and Join runs it here.
                worker.Start();
                worker.Join();
                Assert.Equal((1, 0L, 1L), (runs, worker.Runs, worker.RunsByCaller));

                // The worker wakes to that start's signal, finds it claimed and waits again; the next start, held until
                // the worker has begun it, is the worker's, and Join waits for it.
                holdOnWorker = true;
                worker.StartThread();
                worker.Start();
                Assert.True(await begun.WaitAsync(Limit), "the worker did not begin the second start");
                release.Release();
                worker.Join();
            }).WaitAsync(Limit);

            Assert.Equal((2, 1L, 1L), (runs, worker.Runs, worker.RunsByCaller));
        }
    }

    [Fact]
    public async Task Join_WorkThrewOnTheWorker_RethrownToTheCaller_AndTheWorkerRunsTheNextStart()
    {
        var fail = true;
        var runs = 0;
        using var began = new SemaphoreSlim(0);
        using var worker = new LaneWorker("test-lane", () =>
        {
            runs++;
            began.Release();
            if (fail)
            {
                throw new InvalidOperationException("share failed");
            }
        }, spinTicks: 0);

        await Task.Run(async () =>
        {
            // Join only once the work has begun, so each start is the worker's and its failure crosses threads.
            worker.Start();
            Assert.True(await began.WaitAsync(Limit), "the worker did not run the first start");
            var error = Assert.Throws<InvalidOperationException>(() => worker.Join());
            Assert.Equal("share failed", error.Message);
            fail = false;
            worker.Start();
            Assert.True(await began.WaitAsync(Limit), "the worker did not run the second start");
            worker.Join();
        }).WaitAsync(Limit);

        Assert.Equal((2, 2L, 0L), (runs, worker.Runs, worker.RunsByCaller));
    }

    [Fact]
    public void Join_CallerClaimedTheStart_WhatTheWorkThrowsComesStraightOut()
    {
        using var worker = new LaneWorker("test-lane", () => throw new InvalidOperationException("share failed"), spinTicks: 0, startThread: false);

        worker.Start();
        var error = Assert.Throws<InvalidOperationException>(() => worker.Join());

        Assert.Equal(("share failed", 0L, 1L), (error.Message, worker.Runs, worker.RunsByCaller));
    }

    [Fact]
    public async Task Join_SkipUnbegun_AStartNoOneBegan_IsRunByNeitherSide_AndTheNextStartRunsOnce()
    {
        var runs = 0;
        var worker = new LaneWorker("test-lane", () => Interlocked.Increment(ref runs), spinTicks: 0, startThread: false);
        using (worker)
        {
            // No worker thread yet: the caller claims the start and, told to skip it, does not run it.
            worker.Start();
            worker.Join(skipUnbegun: true);
            Assert.Equal((0, 0L, 0L), (runs, worker.Runs, worker.RunsByCaller));

            // The worker wakes to the skipped start's signal, finds it claimed, and runs only the next start (or the caller does).
            worker.StartThread();
            await Task.Run(() =>
            {
                worker.Start();
                worker.Join();
            }).WaitAsync(Limit);
        }

        Assert.Equal((1, 1L), (runs, worker.Runs + worker.RunsByCaller));
    }

    [Fact]
    public async Task Dispose_AStartsSignalLeftBehind_EndsTheThread()
    {
        var worker = new LaneWorker("test-lane", () => { }, spinTicks: 0, startThread: false);
        worker.Start();
        worker.Join(); // claimed by the caller: the start's signal is still pending for the worker
        worker.StartThread();

        await Task.Run(worker.Dispose).WaitAsync(Limit);

        Assert.Equal((0L, 1L), (worker.Runs, worker.RunsByCaller));
    }

    [Fact]
    public void Dispose_ThreadNeverStarted_Returns()
    {
        var worker = new LaneWorker("test-lane", () => { }, spinTicks: 0, startThread: false);

        worker.Dispose();

        Assert.Throws<ObjectDisposedException>(worker.Start);
    }

    [Fact]
    public void Dispose_AfterJoin_EndsTheThread()
    {
        Thread? thread = null;
        using var ran = new ManualResetEventSlim();
        var worker = new LaneWorker("test-lane", () => { thread = Thread.CurrentThread; ran.Set(); }, spinTicks: 0);
        worker.Start();
        Assert.True(ran.Wait(Limit), "the worker did not run the start"); // no Join yet: the start is the worker's
        worker.Join();

        worker.Dispose();

        Assert.False(thread!.IsAlive);
        Assert.Throws<ObjectDisposedException>(worker.Start);
    }

    [Fact]
    public void Start_TwiceWithoutJoin_Refused()
    {
        using var worker = new LaneWorker("test-lane", () => { }, spinTicks: 0);
        worker.Start();

        Assert.Throws<InvalidOperationException>(worker.Start);
        worker.Join();
    }
}
