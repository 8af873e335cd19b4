using EdgeSam2.Agent.Scheduling;

namespace EdgeSam2.Agent.Tests.Scheduling;

/// <summary>The scheduler's admission order, as pure logic: who runs next on the shared model set.</summary>
public sealed class FairAdmissionTests
{
    [Fact]
    public void Exit_CallersWaiting_SlotGoesToTheLongestWaiting()
    {
        var admission = new FairAdmission<string>(1);
        Assert.True(admission.TryEnter("busy"));
        Assert.False(admission.TryEnter("light"));
        Assert.False(admission.TryEnter("third"));

        Assert.Equal("light", admission.Exit());
        Assert.Equal("third", admission.Exit());
        Assert.Null(admission.Exit());
        Assert.Equal(0, admission.Running);
    }

    [Fact]
    public void TryEnter_RunnerComesBackWhileOthersWait_QueuesBehindThem()
    {
        var admission = new FairAdmission<string>(1);
        Assert.True(admission.TryEnter("busy"));
        Assert.False(admission.TryEnter("light"));

        // busy finishes a run and asks at once for its next one: light, already waiting, goes first.
        var next = admission.Exit();
        Assert.False(admission.TryEnter("busy"));

        Assert.Equal("light", next);
        Assert.Equal("busy", admission.Exit());
    }

    [Fact]
    public void TryEnter_FreeSlotButOthersWaiting_DoesNotJumpTheLine()
    {
        var admission = new FairAdmission<string>(2);
        Assert.True(admission.TryEnter("a"));
        Assert.True(admission.TryEnter("b"));
        Assert.False(admission.TryEnter("c"));

        Assert.Equal("c", admission.Exit()); // a's slot goes to c
        Assert.Equal(2, admission.Running);
        Assert.False(admission.TryEnter("a")); // both slots busy (b, c)
        Assert.Equal("a", admission.Exit());
        Assert.Null(admission.Exit());
        Assert.Null(admission.Exit());
        Assert.Equal(0, admission.Running);
    }

    [Fact]
    public void Simulation_EightObjectCameraAgainstOneObjectCamera_LightCameraGetsEveryOtherRun()
    {
        // Each camera asks for one run at a time, as a tracking thread does; a heavy frame is many runs, a light one few.
        // With one slot, between two runs of the heavy camera the waiting light camera always gets one.
        var admission = new FairAdmission<string>(1);
        var order = new List<string>();
        Assert.True(admission.TryEnter("heavy"));
        order.Add("heavy");
        Assert.False(admission.TryEnter("light"));
        for (var i = 0; i < 40; i++)
        {
            var leaving = order[^1];
            var next = admission.Exit();
            Assert.NotNull(next);
            order.Add(next);
            Assert.False(admission.TryEnter(leaving)); // the one that ran asks again at once
        }

        for (var i = 1; i < order.Count; i++)
        {
            Assert.NotEqual(order[i - 1], order[i]);
        }

        Assert.InRange(order.Count(o => o == "heavy") - order.Count(o => o == "light"), -1, 1);
    }

    [Fact]
    public void Exit_WithoutEnter_Throws()
    {
        var admission = new FairAdmission<string>(1);
        Assert.Throws<InvalidOperationException>(() => admission.Exit());
    }
}
