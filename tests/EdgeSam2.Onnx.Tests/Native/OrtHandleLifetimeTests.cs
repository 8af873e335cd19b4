using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;
using EdgeSam2.Testing;

namespace EdgeSam2.Onnx.Tests.Native;

/// <summary>Every native object is released exactly once; nothing is usable after its owner is disposed.</summary>
public sealed class OrtHandleLifetimeTests
{
    private static readonly long[] Shape = [2, 3];

    [Fact]
    public void Dispose_EverythingOpened_ReturnsLiveHandlesToTheStart()
    {
        var start = OrtRuntime.LiveHandles;
        var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var afterLoad = OrtRuntime.LiveHandles;
        var session = runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        var afterOpen = OrtRuntime.LiveHandles;
        var values = session.RunAllocated([OrtTensorArg.Float("x", new float[6], Shape)], ["y"]);
        var afterRun = OrtRuntime.LiveHandles;

        values[0].Dispose();
        session.Dispose();
        runtime.Dispose();

        Assert.Equal(start + 1, afterLoad);     // the env
        Assert.Equal(afterLoad + 2, afterOpen); // the session and its memory info; the options are already gone
        Assert.Equal(afterOpen + 1, afterRun);  // the output ORT allocated; the input tensor is already gone
        Assert.Equal(start, OrtRuntime.LiveHandles);
    }

    [Fact]
    public void Run_ManyCalls_LeaveNoPerCallHandlesBehind()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        using var session = runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);
        var before = OrtRuntime.LiveHandles;
        float[] a = [1, 2, 3, 4, 5, 6];
        var sum = new float[6];
        var product = new float[6];

        for (var i = 0; i < 200; i++)
        {
            session.Run(
                [OrtTensorArg.Float("a", a, Shape), OrtTensorArg.Float("b", a, Shape)],
                [OrtTensorArg.Float("sum", sum, Shape), OrtTensorArg.Float("product", product, Shape)]);
        }

        Assert.Equal(before, OrtRuntime.LiveHandles);
        Assert.Equal([2f, 4, 6, 8, 10, 12], sum);
    }

    [Fact]
    public void Run_RejectedByOrtOrByValidation_LeavesNoPerCallHandlesBehind()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        using var session = runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);
        var before = OrtRuntime.LiveHandles;

        // The second input fails validation after the first one's tensor was created.
        Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Float("a", new float[6], Shape), OrtTensorArg.Float("b", new float[5], Shape)],
            [OrtTensorArg.Float("sum", new float[6], Shape)]));

        // ORT itself refuses: no outputs requested.
        Assert.Throws<OrtException>(() => session.Run(
            [OrtTensorArg.Float("a", new float[6], Shape), OrtTensorArg.Float("b", new float[6], Shape)], []));

        Assert.Equal(before, OrtRuntime.LiveHandles);
    }

    [Fact]
    public void Dispose_RuntimeBeforeItsSession_SessionKeepsWorkingUntilDisposed()
    {
        var start = OrtRuntime.LiveHandles;
        var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var session = runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        runtime.Dispose();
        var y = new float[6];
        session.Run([OrtTensorArg.Float("x", new float[6], Shape)], [OrtTensorArg.Float("y", y, Shape)]);
        var whileSessionOpen = OrtRuntime.LiveHandles;
        session.Dispose();

        Assert.Equal([1f, 1, 1, 1, 1, 1], y);
        Assert.Equal(start + 3, whileSessionOpen); // the env lives on for the session
        Assert.Equal(start, OrtRuntime.LiveHandles);
    }

    [Fact]
    public void Run_AfterSessionDispose_ThrowsObjectDisposed()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var session = runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[6], Shape)], [OrtTensorArg.Float("y", new float[6], Shape)]));
        Assert.Throws<ObjectDisposedException>(() => session.RunAllocated([OrtTensorArg.Float("x", new float[6], Shape)], ["y"]));
    }

    [Fact]
    public void Dispose_Twice_ReleasesOnce()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        var session = runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        var values = session.RunAllocated([OrtTensorArg.Float("x", new float[6], Shape)], ["y"]);
        var withEverything = OrtRuntime.LiveHandles;

        values[0].Dispose();
        values[0].Dispose();
        var afterValue = OrtRuntime.LiveHandles;
        session.Dispose();
        session.Dispose();

        Assert.Equal(withEverything - 1, afterValue);
        Assert.Equal(afterValue - 2, OrtRuntime.LiveHandles);
    }

    [Fact]
    public void AsSpan_AfterValueDispose_ThrowsObjectDisposed()
    {
        using var runtime = OrtRuntime.Load(RepoPaths.OrtLibrary);
        using var session = runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        var value = session.RunAllocated([OrtTensorArg.Float("x", new float[6], Shape)], ["y"])[0];
        value.Dispose();

        Assert.Throws<ObjectDisposedException>(() => value.AsSpan<float>().Length);
    }
}
