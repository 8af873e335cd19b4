using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;

namespace EdgeSam2.Onnx.Tests.Native;

public sealed class OrtSessionRunTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    public void Run_DynamicBatch_WritesXTimesTwoPlusOne(int batch)
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        var x = Ramp(batch * 3, start: -1.5f, step: 0.25f);
        var y = new float[batch * 3];
        long[] shape = [batch, 3];

        session.Run([OrtTensorArg.Float("x", x, shape)], [OrtTensorArg.Float("y", y, shape)]);

        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal((x[i] * 2f) + 1f, y[i]);
        }
    }

    [Fact]
    public void Run_ThreadSpinningOff_SessionOpensWithTheConfigEntriesAndComputes()
    {
        // AddSessionConfigEntry (API slot 130) with the spinning keys: a wrong slot would call another entry
        // with these arguments and fail or crash here.
        var settings = OrtSessionSettings.Default with { IntraOpThreads = 2, AllowThreadSpinning = false };
        using var session = ort.Runtime.OpenSession(TestModels.Affine, settings);
        float[] x = [1f, 2f, 3f];
        var y = new float[3];
        long[] shape = [1, 3];

        session.Run([OrtTensorArg.Float("x", x, shape)], [OrtTensorArg.Float("y", y, shape)]);

        Assert.Equal([3f, 5f, 7f], y);
    }

    [Fact]
    public void Run_PreallocatedOutput_IsWrittenInPlaceAndOnlyWithinItsSlice()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        float[] x = [1, 2, 3, 4, 5, 6];
        var buffer = new float[10];
        Array.Fill(buffer, float.NaN);
        long[] shape = [2, 3];

        session.Run([OrtTensorArg.Float("x", x, shape)], [OrtTensorArg.Float("y", buffer.AsMemory(2, 6), shape)]);

        Assert.Equal([3f, 5f, 7f, 9f, 11f, 13f], buffer[2..8]);
        Assert.True(float.IsNaN(buffer[0]) && float.IsNaN(buffer[1]) && float.IsNaN(buffer[8]) && float.IsNaN(buffer[9]));
    }

    [Fact]
    public void Run_TwoInputsTwoOutputs_ComputesSumAndProduct()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [0.5f, -1, 2, 0, 10, -3];
        var sum = new float[6];
        var product = new float[6];
        long[] shape = [2, 3];

        session.Run(
            [OrtTensorArg.Float("b", b, shape), OrtTensorArg.Float("a", a, shape)],
            [OrtTensorArg.Float("product", product, shape), OrtTensorArg.Float("sum", sum, shape)]);

        Assert.Equal([1.5f, 1, 5, 4, 15, 3], sum);
        Assert.Equal([0.5f, -2, 6, 0, 50, -18], product);
    }

    [Fact]
    public void Run_OneOfTwoOutputs_ComputesOnlyThatOne()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [6, 5, 4, 3, 2, 1];
        var product = new float[6];
        long[] shape = [2, 3];

        session.Run(
            [OrtTensorArg.Float("a", a, shape), OrtTensorArg.Float("b", b, shape)],
            [OrtTensorArg.Float("product", product, shape)]);

        Assert.Equal([6f, 10, 12, 12, 10, 6], product);
    }

    [Fact]
    public void Run_IntegerTensors_ComputesInt64AndInt32()
    {
        using var session = ort.Runtime.OpenSession(TestModels.IntOps, OrtSessionSettings.Default);
        long[] ids64 = [0, 41, -2, long.MaxValue - 1];
        int[] ids32 = [1, -7, 100];
        var plusOne = new long[4];
        var timesThree = new int[3];
        long[] shape64 = [4];
        long[] shape32 = [3];

        session.Run(
            [OrtTensorArg.Int64("ids64", ids64, shape64), OrtTensorArg.Int32("ids32", ids32, shape32)],
            [OrtTensorArg.Int64("ids64_plus_one", plusOne, shape64), OrtTensorArg.Int32("ids32_times_three", timesThree, shape32)]);

        Assert.Equal([1L, 42, -1, long.MaxValue], plusOne);
        Assert.Equal([3, -21, 300], timesThree);
    }

    [Fact]
    public void Run_ScalarInput_MultipliesEveryElement()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Scale, OrtSessionSettings.Default);
        float[] x = [1, -2, 0.5f];
        float[] factor = [4];
        var y = new float[3];
        long[] vector = [3];

        session.Run(
            [OrtTensorArg.Float("x", x, vector), OrtTensorArg.Float("factor", factor, [])],
            [OrtTensorArg.Float("y", y, vector)]);

        Assert.Equal([4f, -8, 2], y);
    }

    [Fact]
    public void Run_OutputDeclaredWithoutShape_AcceptsTheShapeOrtProduces()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Unshaped, OrtSessionSettings.Default);
        float[] x = [-2, -0.5f, 0, 0.5f, 2];
        var y = new float[5];
        long[] shape = [5];

        session.Run([OrtTensorArg.Float("x", x, shape)], [OrtTensorArg.Float("y", y, shape)]);

        Assert.Equal([0f, 0, 0, 0.5f, 2], y);
    }

    [Fact]
    public void Run_EmptyBatch_Succeeds()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        long[] shape = [0, 3];

        session.Run([OrtTensorArg.Float("x", Memory<float>.Empty, shape)], [OrtTensorArg.Float("y", Memory<float>.Empty, shape)]);

        using var values = new DisposableValues(session.RunAllocated([OrtTensorArg.Float("x", Memory<float>.Empty, shape)], ["y"]));
        Assert.Equal([0L, 3L], values[0].Shape);
        Assert.Equal(0, values[0].AsSpan<float>().Length);
    }

    [Fact]
    public async Task Run_ConcurrentCallsOnOneSession_EachGetsItsOwnResult()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var calls = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            long[] shape = [4, 3];
            var x = Ramp(12, start: worker * 100, step: 1);
            var y = new float[12];
            for (var round = 0; round < 50; round++)
            {
                session.Run([OrtTensorArg.Float("x", x, shape)], [OrtTensorArg.Float("y", y, shape)]);
                for (var i = 0; i < x.Length; i++)
                {
                    Assert.Equal((x[i] * 2f) + 1f, y[i]);
                }
            }
        }));

        await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void RunAllocated_DynamicBatch_ReturnsShapeAndValues(int batch)
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        var x = Ramp(batch * 3, start: 10, step: -0.5f);

        using var values = new DisposableValues(session.RunAllocated([OrtTensorArg.Float("x", x, [batch, 3])], ["y"]));

        var y = Assert.Single(values.Items);
        Assert.Equal([(long)batch, 3L], y.Shape);
        Assert.Equal(OrtElementType.Float, y.ElementType);
        Assert.Equal(batch * 3, y.ElementCount);
        var data = y.AsSpan<float>();
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal((x[i] * 2f) + 1f, data[i]);
        }
    }

    [Fact]
    public void RunAllocated_TwoOutputs_ReturnedInRequestedOrder()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);
        float[] a = [1, 2, 3, 4, 5, 6];
        float[] b = [1, 1, 1, 2, 2, 2];
        long[] shape = [2, 3];

        using var values = new DisposableValues(session.RunAllocated(
            [OrtTensorArg.Float("a", a, shape), OrtTensorArg.Float("b", b, shape)], ["product", "sum"]));

        Assert.Equal([1f, 2, 3, 8, 10, 12], values[0].AsSpan<float>().ToArray());
        Assert.Equal([2f, 3, 4, 6, 7, 8], values[1].AsSpan<float>().ToArray());
    }

    [Fact]
    public void AsSpan_WrongElementType_ThrowsNamingBothTypes()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);
        using var values = new DisposableValues(session.RunAllocated([OrtTensorArg.Float("x", new float[3], [1, 3])], ["y"]));

        var error = Assert.Throws<InvalidOperationException>(() => values[0].AsSpan<long>().Length);

        Assert.Contains("Float", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
    }

    private static float[] Ramp(int length, float start, float step)
    {
        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = start + (i * step);
        }

        return values;
    }
}
