using System.Diagnostics;
using EdgeSam2.Demo.AgentProcess;

namespace EdgeSam2.Demo.Tests.AgentProcess;

public sealed class PosixSignalsTests
{
    [Fact]
    public async Task Terminate_RunningChild_ItExitsBySigterm()
    {
        using var child = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!;

        Assert.True(PosixSignals.Terminate(child.Id));

        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(128 + 15, child.ExitCode);
    }

    [Fact]
    public async Task Terminate_ExitedChild_False()
    {
        using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        var pid = child.Id;
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(PosixSignals.Terminate(pid));
    }
}
