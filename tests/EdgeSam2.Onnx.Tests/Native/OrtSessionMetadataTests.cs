using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;

namespace EdgeSam2.Onnx.Tests.Native;

public sealed class OrtSessionMetadataTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    [Fact]
    public void Inputs_DynamicBatchModel_ReportNameTypeAndMinusOneForTheBatch()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var input = Assert.Single(session.Inputs);
        Assert.Equal("x", input.Name);
        Assert.Equal(OrtElementType.Float, input.ElementType);
        Assert.Equal([-1L, 3L], input.Shape);
        Assert.Equal(["batch", ""], input.SymbolicDimensions);

        var output = Assert.Single(session.Outputs);
        Assert.Equal("y", output.Name);
        Assert.Equal(OrtElementType.Float, output.ElementType);
        Assert.Equal([-1L, 3L], output.Shape);
    }

    [Fact]
    public void Inputs_TwoInputTwoOutputModel_ListedInModelOrderWithFixedShapes()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);

        Assert.Equal(["a", "b"], session.Inputs.Select(i => i.Name));
        Assert.Equal(["sum", "product"], session.Outputs.Select(o => o.Name));
        Assert.All(session.Inputs, i => Assert.Equal([2L, 3L], i.Shape));
        Assert.All(session.Outputs, o => Assert.Equal(["", ""], o.SymbolicDimensions));
    }

    [Fact]
    public void Inputs_IntegerModel_ReportInt64AndInt32()
    {
        using var session = ort.Runtime.OpenSession(TestModels.IntOps, OrtSessionSettings.Default);

        Assert.Equal(OrtElementType.Int64, session.Inputs[session.InputIndex("ids64")].ElementType);
        Assert.Equal(OrtElementType.Int32, session.Inputs[session.InputIndex("ids32")].ElementType);
        Assert.Equal(OrtElementType.Int64, session.Outputs[session.OutputIndex("ids64_plus_one")].ElementType);
        Assert.Equal(OrtElementType.Int32, session.Outputs[session.OutputIndex("ids32_times_three")].ElementType);
    }

    [Fact]
    public void Inputs_ScalarInput_ReportsRankZero()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Scale, OrtSessionSettings.Default);

        var factor = session.Inputs[session.InputIndex("factor")];
        Assert.Empty(factor.Shape);
        Assert.Equal("[]", factor.ShapeText);
    }

    [Fact]
    public void Outputs_DeclaredWithoutShape_ReportTheShapeOrtInferred()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Unshaped, OrtSessionSettings.Default);

        var y = Assert.Single(session.Outputs);
        Assert.Equal(OrtElementType.Float, y.ElementType);
        Assert.Equal([-1L], y.Shape);
        Assert.Equal(["n"], y.SymbolicDimensions);
    }

    [Fact]
    public void InputIndex_KnownAndUnknownNames_ReturnPositionOrMinusOne()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);

        Assert.Equal(1, session.InputIndex("b"));
        Assert.Equal(1, session.OutputIndex("product"));
        Assert.Equal(-1, session.InputIndex("sum"));
        Assert.Equal(-1, session.OutputIndex("a"));
    }
}
