using EdgeSam2.Onnx.Sam2;

namespace EdgeSam2.Onnx.Tests.Sam2;

public sealed class LaneWorkerTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0L)] // sleeps at once: every start wakes it
    [InlineData(50L)] // a few µs: starts land on both sides of the edge from spinning to sleeping
    [InlineData(1_000_000L)] // spins through
    public async Task StartJoin_ManyRounds_EachRunsOnceOnTheWorkersThread_SleepingOrSpinning(long spinTicks)
    {
        var runs = 0;
        var threads = new HashSet<int>();
        using var worker = new LaneWorker("test-lane", () => { runs++; threads.Add(Environment.CurrentManagedThreadId); }, spinTicks);

        await Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                worker.Start();
                worker.Join();
                Assert.Equal(i + 1, runs);
            }
        }).WaitAsync(Limit);

        Assert.Equal(500, worker.Runs);
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
    public void Dispose_AfterJoin_EndsTheThread()
    {
        Thread? thread = null;
        var worker = new LaneWorker("test-lane", () => thread = Thread.CurrentThread, spinTicks: 0);
        worker.Start();
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
