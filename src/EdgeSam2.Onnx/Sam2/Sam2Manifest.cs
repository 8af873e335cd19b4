using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeSam2.Tracking.Sam2;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// A model set's manifest (models/README.md): the constants no tensor shape shows, and the four graph files with
/// their SHA-256.
/// </summary>
public sealed record Sam2Manifest
{
    /// <summary>Model set name, reported in status.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>Contract variant; only <c>nvidia-sam2</c> is supported.</summary>
    [JsonPropertyName("contract")]
    public string Contract { get; init; } = "";

    /// <summary><c>scalar</c> (NVIDIA) or <c>offsets</c>.</summary>
    [JsonPropertyName("memory_attention_form")]
    public string MemoryAttentionForm { get; init; } = "scalar";

    /// <summary>Input size S, used when the encoder's input dimensions are symbolic.</summary>
    [JsonPropertyName("input_size")]
    public int InputSize { get; init; }

    /// <summary>Memory slots (7 in SAM 2).</summary>
    [JsonPropertyName("memory_slots")]
    public int MemorySlots { get; init; } = 7;

    /// <summary>Most object pointers (16 in SAM 2).</summary>
    [JsonPropertyName("max_object_pointers")]
    public int MaxObjectPointers { get; init; } = 16;

    /// <summary>Pointer rows in <c>memory_pos_embed</c> (4 in SAM 2); checked against C / Cm.</summary>
    [JsonPropertyName("tokens_per_pointer")]
    public int TokensPerPointer { get; init; } = 4;

    /// <summary>Graph files by module name.</summary>
    [JsonPropertyName("graphs")]
    public Dictionary<string, Sam2GraphFile> Graphs { get; init; } = [];

    /// <summary>The folder the manifest was read from; graph files are relative to it.</summary>
    [JsonIgnore]
    public string Directory { get; init; } = "";

    /// <summary>The attention form as an enum.</summary>
    [JsonIgnore]
    public MemoryAttentionForm AttentionForm =>
        MemoryAttentionForm == "offsets" ? Tracking.Sam2.MemoryAttentionForm.Offsets : Tracking.Sam2.MemoryAttentionForm.Scalar;

    /// <summary>Reads and checks a manifest; every problem is reported at once.</summary>
    /// <exception cref="Sam2ModelException">The file is missing, malformed or inconsistent.</exception>
    public static Sam2Manifest Load(string path, bool verifyChecksums)
    {
        if (!File.Exists(path))
        {
            throw new Sam2ModelException($"model manifest '{path}' does not exist");
        }

        Sam2Manifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Sam2Manifest>(File.ReadAllText(path))
                ?? throw new Sam2ModelException($"model manifest '{path}' is empty");
        }
        catch (JsonException e)
        {
            throw new Sam2ModelException($"model manifest '{path}' is not valid JSON: {e.Message}");
        }

        manifest = manifest with { Directory = Path.GetDirectoryName(Path.GetFullPath(path))! };
        var errors = new List<string>();
        if (manifest.Contract != "nvidia-sam2")
        {
            errors.Add($"contract '{manifest.Contract}' is not supported (expected 'nvidia-sam2')");
        }

        if (manifest.MemoryAttentionForm is not ("scalar" or "offsets"))
        {
            errors.Add($"memory_attention_form '{manifest.MemoryAttentionForm}' must be 'scalar' or 'offsets'");
        }

        if (manifest.MemorySlots < 2 || manifest.MaxObjectPointers < 1)
        {
            errors.Add("memory_slots must be at least 2 and max_object_pointers at least 1");
        }

        foreach (var module in Sam2Graphs.Modules)
        {
            if (!manifest.Graphs.TryGetValue(module, out var graph))
            {
                errors.Add($"graphs.{module} is missing");
                continue;
            }

            var file = manifest.PathOf(module);
            if (!File.Exists(file))
            {
                errors.Add($"graphs.{module}: file '{file}' does not exist");
            }
            else if (verifyChecksums && graph.Sha256 is { Length: > 0 } expected)
            {
                using var stream = File.OpenRead(file);
                var actual = Convert.ToHexStringLower(SHA256.HashData(stream));
                if (!string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"graphs.{module}: '{file}' has SHA-256 {actual}, the manifest says {expected}");
                }
            }
        }

        return errors.Count == 0
            ? manifest
            : throw new Sam2ModelException($"model manifest '{path}' is not usable:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
    }

    /// <summary>Absolute path of a module's graph file.</summary>
    public string PathOf(string module) => Path.Combine(Directory, Graphs[module].File);
}

/// <summary>One graph file of a manifest.</summary>
public sealed record Sam2GraphFile
{
    /// <summary>File name, relative to the manifest.</summary>
    [JsonPropertyName("file")]
    public string File { get; init; } = "";

    /// <summary>Expected SHA-256 (hex); empty skips the check.</summary>
    [JsonPropertyName("sha256")]
    public string? Sha256 { get; init; }
}

/// <summary>A model set that cannot be used: the message lists every problem found.</summary>
public sealed class Sam2ModelException : Exception
{
    /// <summary>Creates the exception.</summary>
    public Sam2ModelException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public Sam2ModelException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public Sam2ModelException()
    {
    }
}
