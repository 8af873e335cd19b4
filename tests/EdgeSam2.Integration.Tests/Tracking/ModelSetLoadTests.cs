using System.Text.Json.Nodes;
using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Sam2;
using EdgeSam2.Testing;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Integration.Tests.Tracking;

/// <summary>Loading a model set: sizes read from the real graphs, and every mismatch reported at once.</summary>
/// <remarks>Alone in a non-parallel collection: it counts the process's live ORT handles.</remarks>
[Collection(NativeHandleCounting.Name)]
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
    }

    [Fact]
    public void Load_MissingManifest_NamesThePath()
    {
        var path = Path.Combine(_dir, "nope.json");
        var e = Assert.Throws<Sam2ModelException>(() => OnnxSam2Model.Load(models.Runtime, path, OrtSessionSettings.Default));
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

        var e = Assert.Throws<Sam2ModelException>(() => OnnxSam2Model.Load(models.Runtime, manifest, OrtSessionSettings.Default));

        Assert.Contains("graphs.mask_decoder", e.Message);
        Assert.Contains("SHA-256", e.Message);
        Assert.Contains("graphs.memory_encoder is missing", e.Message);
    }

    [Fact]
    public void Load_GraphThatDoesNotFitTheContract_ListsEveryMissingTensorAndClosesSessions()
    {
        var before = OrtRuntime.LiveHandles;
        // The memory encoder's file in the decoder's place: none of the decoder's tensors are there.
        var manifest = CopyManifest(m => m["graphs"]!["mask_decoder"] = new JsonObject { ["file"] = "memory_encoder.onnx" });

        var e = Assert.Throws<Sam2ModelException>(() => OnnxSam2Model.Load(models.Runtime, manifest, OrtSessionSettings.Default));

        Assert.Contains("mask_decoder: no input 'point_coords'", e.Message);
        Assert.Contains("mask_decoder: no output 'pred_mask'", e.Message);
        Assert.Equal(before, OrtRuntime.LiveHandles);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

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

/// <summary>Tests that count process-wide native handles run while no other test creates any.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NativeHandleCounting
{
    public const string Name = "native handle counting";
}
