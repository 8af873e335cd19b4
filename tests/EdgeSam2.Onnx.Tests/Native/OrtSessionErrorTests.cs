using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;
using Xunit.Abstractions;

namespace EdgeSam2.Onnx.Tests.Native;

public sealed class OrtSessionErrorTests(OrtFixture ort, ITestOutputHelper output) : IClassFixture<OrtFixture>
{
    private static readonly long[] Batch2 = [2, 3];

    [Fact]
    public void Run_UnknownInputName_ThrowsNamingItAndTheKnownInputs()
    {
        using var session = ort.Runtime.OpenSession(TestModels.TwoIo, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Float("a", new float[6], Batch2), OrtTensorArg.Float("c", new float[6], Batch2)],
            [OrtTensorArg.Float("sum", new float[6], Batch2)]));

        Assert.Contains("input named 'c'", error.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownOutputName_ThrowsNamingIt()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[6], Batch2)], [OrtTensorArg.Float("z", new float[6], Batch2)]));

        Assert.Contains("output named 'z'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RunAllocated_UnknownOutputName_ThrowsNamingIt()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(
            () => session.RunAllocated([OrtTensorArg.Float("x", new float[6], Batch2)], ["logits"]));

        Assert.Contains("'logits'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BufferShorterThanShape_ThrowsWithTensorExpectedAndActualSize()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[5], Batch2)], [OrtTensorArg.Float("y", new float[6], Batch2)]));

        Assert.Contains("Input 'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs 6 elements", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_OutputBufferLongerThanShape_ThrowsNamingTheOutput()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[6], Batch2)], [OrtTensorArg.Float("y", new float[9], Batch2)]));

        Assert.Contains("Output 'y'", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 9", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ShapeNotFittingTheModel_ThrowsWithBothShapes()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[8], [2, 4])], [OrtTensorArg.Float("y", new float[8], [2, 4])]));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        Assert.Contains("[2,4]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[-1,3]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsNamingTheTensorAndBothTypes()
    {
        using var session = ort.Runtime.OpenSession(TestModels.IntOps, OrtSessionSettings.Default);

        var error = Assert.Throws<ArgumentException>(() => session.Run(
            [OrtTensorArg.Int32("ids64", new int[2], [2])], [OrtTensorArg.Int64("ids64_plus_one", new long[2], [2])]));

        Assert.Contains("'ids64'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int64", error.Message, StringComparison.Ordinal);
        Assert.Contains("Int32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PreallocatedOutputOfWrongDynamicShape_ThrowsOrtExceptionWithOrtsMessage()
    {
        using var session = ort.Runtime.OpenSession(TestModels.Affine, OrtSessionSettings.Default);

        // [3,3] fits the declared [-1,3], so only ORT can tell that a batch of 2 produces [2,3].
        var error = Assert.Throws<OrtException>(() => session.Run(
            [OrtTensorArg.Float("x", new float[6], Batch2)], [OrtTensorArg.Float("y", new float[9], [3, 3])]));

        output.WriteLine($"{error.Code}: {error.Message}");
        Assert.NotEqual(OrtErrorCode.Ok, error.Code);
        Assert.Contains("shape", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void OpenSession_MissingModelFile_ThrowsOrtExceptionWithOrtsMessage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.onnx");

        var error = Assert.Throws<OrtException>(() => ort.Runtime.OpenSession(path, OrtSessionSettings.Default));

        output.WriteLine($"{error.Code}: {error.Message}");
        Assert.Equal(OrtErrorCode.NoSuchFile, error.Code);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenSession_FileThatIsNotOnnx_ThrowsOrtExceptionWithOrtsMessage()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-onnx-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "definitely not a protobuf model \u0001\u0002\u0003");
        try
        {
            var error = Assert.Throws<OrtException>(() => ort.Runtime.OpenSession(path, OrtSessionSettings.Default));

            output.WriteLine($"{error.Code}: {error.Message}");
            Assert.Equal(OrtErrorCode.InvalidProtobuf, error.Code);
            Assert.Contains("Protobuf parsing failed", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OpenSession_NegativeThreadCount_ThrowsBeforeTouchingOrt()
    {
        var settings = OrtSessionSettings.Default with { IntraOpThreads = -1 };

        Assert.Throws<ArgumentOutOfRangeException>(() => ort.Runtime.OpenSession(TestModels.Affine, settings));
    }
}
