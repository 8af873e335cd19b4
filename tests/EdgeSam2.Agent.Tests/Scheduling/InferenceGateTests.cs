using EdgeSam2.Agent.Scheduling;

namespace EdgeSam2.Agent.Tests.Scheduling;

/// <summary>The blocking gate over the admission order, with real threads and fake work; no sleeps: each step awaits a signal.</summary>
public sealed class InferenceGateTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Enter_ThreeThreadsQueued_AdmittedInArrivalOrder()
    {
        var gate = new InferenceGate(1);
        var holder = gate.CreateTurn();
        holder.Enter();
        var order = new List<string>();
        var threads = new List<Task>();
        foreach (var name in new[] { "b", "c", "d" })
        {
            var turn = gate.CreateTurn();
            var waitingBefore = gate.Waiting;
            threads.Add(Task.Factory.StartNew(
                () =>
                {
                    turn.Enter();
                    lock (order)
                    {
                        order.Add(name);
                    }

                    turn.Exit();
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default));

            // The next thread starts only once this one stands in line, so arrival order is known.
            Assert.True(SpinWait.SpinUntil(() => gate.Waiting == waitingBefore + 1, Timeout), $"{name} did not queue");
        }

        Assert.Empty(order);
        holder.Exit();
        await Task.WhenAll(threads).WaitAsync(Timeout);

        Assert.Equal(["b", "c", "d"], order);
        Assert.Equal(0, gate.Waiting);
    }

    [Fact]
    public async Task Enter_TwoSlots_TwoRunTogetherThirdWaits()
    {
        var gate = new InferenceGate(2);
        var (a, b, c) = (gate.CreateTurn(), gate.CreateTurn(), gate.CreateTurn());
        a.Enter();
        b.Enter(); // a second slot: does not block
        var third = Task.Factory.StartNew(c.Enter, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Assert.True(SpinWait.SpinUntil(() => gate.Waiting == 1, Timeout));
        Assert.False(third.IsCompleted);

        b.Exit();
        await third.WaitAsync(Timeout);
        c.Exit();
        a.Exit();
        Assert.Equal(0, gate.Waiting);
    }
}
