using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;

namespace EdgeSam2.Onnx.Tests.Native;

/// <summary>The per-frame path must not allocate: callers cache their arguments and shapes, Run does the rest.</summary>
public sealed class OrtSessionAllocationTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    [Fact]
    public void Run_WarmedUpWithCachedArguments_AllocatesNoManagedMemory()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);
        long[] shape = [2, 3];
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [6, 5, 4, 3, 2, 1];
        var sum = new float[6];
        var product = new float[6];
        OrtTensorArg[] inputs = [OrtTensorArg.Float("a", a, shape), OrtTensorArg.Float("b", b, shape)];
        OrtTensorArg[] outputs = [OrtTensorArg.Float("sum", sum, shape), OrtTensorArg.Float("product", product, shape)];
        session.Run(inputs, outputs);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            session.Run(inputs, outputs);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal([7f, 7, 7, 7, 7, 7], sum);
        Assert.Equal([6f, 10, 12, 12, 10, 6], product);
    }
}
