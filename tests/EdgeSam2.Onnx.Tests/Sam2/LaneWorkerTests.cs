using EdgeSam2.Onnx.Sam2;

namespace EdgeSam2.Onnx.Tests.Sam2;

public sealed class LaneWorkerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0L)]
    [InlineData(1_000_000L)]
    public async Task StartJoin_ManyRounds_EachRunsOnceOnTheWorkersThread_SleepingOrSpinning(long spinTicks)
    {
        var runs = 0;
        var threads = new HashSet<int>();
        using var worker = new LaneWorker("test-lane", () => { runs++; threads.Add(Environment.CurrentManagedThreadId); }, spinTicks);

        await Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                worker.Start();
                worker.Join();
                Assert.Equal(i + 1, runs);
            }
        }).WaitAsync(Limit);

        Assert.Single(threads);
        Assert.DoesNotContain(Environment.CurrentManagedThreadId, threads);
    }

    [Fact]
    public async Task Join_WorkThrew_RethrownToTheCaller_AndTheWorkerRunsTheNextStart()
    {
        var fail = true;
        var runs = 0;
        using var worker = new LaneWorker("test-lane", () =>
        {
            runs++;
            if (fail)
            {
                throw new InvalidOperationException("share failed");
            }
        }, spinTicks: 0);

        await Task.Run(() =>
        {
            worker.Start();
            var error = Assert.Throws<InvalidOperationException>(worker.Join);
            Assert.Equal("share failed", error.Message);
            fail = false;
            worker.Start();
            worker.Join();
        }).WaitAsync(Limit);

        Assert.Equal(2, runs);
    }

    [Fact]
    public async Task Dispose_WhileWorkRuns_WaitsForItAndEndsTheThread()
    {
        using var running = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Thread? thread = null;
        var worker = new LaneWorker("test-lane", () => { thread = Thread.CurrentThread; running.Set(); release.Wait(); }, spinTicks: 0);
        worker.Start();
        Assert.True(running.Wait(Limit));

        var disposing = Task.Run(worker.Dispose);
        Assert.False(disposing.IsCompleted);
        release.Set();
        await disposing.WaitAsync(Limit);

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
