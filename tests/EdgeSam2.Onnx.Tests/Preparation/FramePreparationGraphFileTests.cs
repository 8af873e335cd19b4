using EdgeSam2.Onnx.Preparation;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;

namespace EdgeSam2.Onnx.Tests.Preparation;

/// <summary>The embedded preparation graph is the committed generator output, and a changed graph is refused by name.</summary>
public sealed class FramePreparationGraphFileTests
{
    [Fact]
    public void Load_Embedded_IsTheCommittedFile()
    {
        var committed = File.ReadAllBytes(Path.Combine(RepoPaths.Root, "models", "prep", "frame_prep.onnx"));

        Assert.Equal(committed, FramePreparationGraph.Load());
    }

    [Fact]
    public void Checked_OneByteChanged_RefusedNamingBothHashes()
    {
        var bytes = FramePreparationGraph.Load();
        bytes[^1] ^= 1;

        var e = Assert.Throws<Sam2ModelException>(() => FramePreparationGraph.Checked(bytes));
        Assert.StartsWith("frame_prep: the embedded preparation graph has SHA-256 ", e.Message, StringComparison.Ordinal);
        Assert.Contains($"expected {FramePreparationGraph.Sha256}", e.Message, StringComparison.Ordinal);
    }
}
