using EdgeSam2.Onnx.Providers;

namespace EdgeSam2.Onnx.Tests.Providers;

public sealed class SessionSettingsTests
{
    [Theory]
    [InlineData(2, 1, true, 2)] // the 2-core box: ORT on one thread leaves the second core to the objects
    [InlineData(16, 1, true, 2)] // one ORT thread asked for on a larger box
    [InlineData(1, 1, true, 1)] // one core: nothing to split across
    [InlineData(8, 0, true, 1)] // ORT's own threads on every core
    [InlineData(8, 4, true, 1)]
    [InlineData(2, 1, false, 1)] // a GPU provider
    public void AutoObjectThreads_SplitsOnlyWhereACoreIsLeftIdle(int cores, int intraOp, bool onCpu, int expected) =>
        Assert.Equal(expected, SessionSettings.AutoObjectThreads(cores, intraOp, onCpu));
}
