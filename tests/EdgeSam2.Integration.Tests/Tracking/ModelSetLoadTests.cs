using System.Diagnostics;
using System.Text.Json.Nodes;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>
/// Loading a model set: sizes read from the real graphs, and every way a set can be broken stops the load with one
/// message that names the file (and the tensor, where one is at fault).
/// </summary>
public sealed class ModelSetLoadTests(TestModelSet models) : IClassFixture<TestModelSet>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgesam2-models-").FullName;

    [Fact]
    public void Load_TestManifest_ReadsSizesFromTheGraphs()
    {
        var info = models.Scalar.Info;

        // Values the generator's constants define (models/test/generate.py), read back from the ONNX shapes.
        Assert.Equal((512, 64, 32, 16, 128), (info.InputSize, info.FeatureChannels, info.FeatureSize, info.MemoryChannels, info.LowResMaskSize));
        Assert.Equal((8, 128, 16, 64), (info.HighRes0Channels, info.HighRes0Size, info.HighRes1Channels, info.HighRes1Size));
        Assert.Equal((7, 16, 4), (info.MemorySlots, info.MaxObjectPointers, info.TokensPerPointer));
        Assert.Equal(MemoryAttentionForm.Scalar, info.AttentionForm);
        Assert.Equal(MemoryAttentionForm.Offsets, models.Offsets.Info.AttentionForm);
        Assert.True(info.AcceptsMaskPrompts); // the test decoder has mask_input / has_mask_input
        Assert.Equal("image_encoder=CPU, mask_decoder=CPU, memory_attention=CPU, memory_encoder=CPU, frame_preparation=kernel", models.Scalar.Provider);
    }

    [Fact]
    public void Load_MissingManifest_NamesThePath()
    {
        var path = Path.Combine(_dir, "nope.json");
        var e = Assert.Throws<Sam2ModelException>(() => Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Load_ChecksumMismatchAndMissingGraph_ListsBoth()
    {
        var manifest = CopyManifest(m =>
        {
            m["graphs"]!["mask_decoder"]!["sha256"] = new string('0', 64);
            m["graphs"]!.AsObject().Remove("memory_encoder");
        });

        var e = Assert.Throws<Sam2ModelException>(() => Load(manifest));

        Assert.Contains("graphs.mask_decoder", e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("graphs.memory_encoder is missing", e.Message);
    }

    [Fact]
    public void Load_MissingGraphFile_NamesTheFile()
    {
        var manifest = CopyManifest(_ => { });
        File.Delete(Path.Combine(_dir, "memory_attention.onnx"));

        var e = Assert.Throws<Sam2ModelException>(() => Load(manifest));

        Assert.Contains($"graphs.memory_attention: file '{Path.Combine(_dir, "memory_attention.onnx")}' does not exist", e.Message);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-onnx")]
    public void Load_GraphFileThatIsNotAModel_NamesTheFileAndOrtsReason(string damage)
    {
        var manifest = CopyManifest(m => m["graphs"]!["memory_encoder"]!.AsObject().Remove("sha256"));
        var file = Path.Combine(_dir, "memory_encoder.onnx");
        if (damage == "truncated")
        {
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..(bytes.Length / 2)]);
        }
        else
        {
            File.WriteAllText(file, "this is a text file, not a protobuf");
        }

        var e = Assert.Throws<Sam2ModelException>(() => Load(manifest));

        Assert.StartsWith($"graphs.memory_encoder: ONNX Runtime cannot open '{file}': ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_GraphThatDoesNotFitTheContract_ListsEveryMissingTensorWithTheFile()
    {
        // The memory encoder's file in the decoder's place: none of the decoder's tensors are there.
        var manifest = CopyManifest(m => m["graphs"]!["mask_decoder"] = new JsonObject { ["file"] = "memory_encoder.onnx" });

        var e = Assert.Throws<Sam2ModelException>(() => Load(manifest));

        var file = Path.Combine(_dir, "memory_encoder.onnx");
        Assert.Contains($"mask_decoder ('{file}'): no input 'point_coords'", e.Message);
        Assert.Contains($"mask_decoder ('{file}'): no output 'pred_mask'", e.Message);
    }

    [Fact]
    public void Load_InputWithTheWrongElementType_NamesTheTensorAndType()
    {
        var manifest = CopyManifest(m => m["graphs"]!["mask_decoder"]!.AsObject().Remove("sha256"));
        var file = Path.Combine(_dir, "mask_decoder.onnx");
        Retype(file, "point_labels");

        var e = Assert.Throws<Sam2ModelException>(() => Load(manifest));

        Assert.Contains($"mask_decoder ('{file}'): input 'point_labels' is int64", e.Message);
        Assert.Contains("the contract needs float32 of rank 2", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Sam2ModelSet Load(string manifest) => Sam2ModelSet.Load(manifest, TestModelSet.Settings);

    private static void Retype(string file, string input)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "EdgeSam2.Integration.Tests", "Models", "retype_input.py");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, file, file, input]) { RedirectStandardError = true })!;
        var error = python.StandardError.ReadToEnd();
        python.WaitForExit();
        Assert.True(python.ExitCode == 0, error);
    }

    private string CopyManifest(Action<JsonNode> edit)
    {
        foreach (var file in Directory.GetFiles(RepoPaths.TestModels, "*.onnx"))
        {
            File.Copy(file, Path.Combine(_dir, Path.GetFileName(file)));
        }

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.TestModels, "manifest.json")))!;
        edit(manifest);
        var path = Path.Combine(_dir, "manifest.json");
        File.WriteAllText(path, manifest.ToJsonString());
        return path;
    }
}
