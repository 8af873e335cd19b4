using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeSam2.Testing;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>Checks real messages against src/EdgeSam2.Agent/Messages/schemas with ajv (npm; `make deps` installs it in .tools/ajv).</summary>
internal static class SchemaCheck
{
    public static string SchemaDirectory => Path.Combine(RepoPaths.Root, "src", "EdgeSam2.Agent", "Messages", "schemas");

    public static async Task AssertValidAsync(IEnumerable<(string Schema, string Json)> messages)
    {
        var (ok, count, output) = await ValidateAsync(messages);
        Assert.True(ok, $"schema validation failed:\n{output}");
        Assert.Contains($"validated {count} messages, 0 invalid", output, StringComparison.Ordinal);
    }

    /// <summary>Runs ajv over <paramref name="messages"/>: whether all are valid, how many were checked, and ajv's report.</summary>
    public static async Task<(bool Ok, int Count, string Output)> ValidateAsync(IEnumerable<(string Schema, string Json)> messages)
    {
        var modules = Path.Combine(RepoPaths.Root, ".tools", "ajv", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "ajv")), $"ajv is not installed in {modules}: run .ci/install-deps.sh (make deps)");
        var file = Path.Combine(Path.GetTempPath(), "edgesam2-messages-" + Guid.NewGuid().ToString("N") + ".jsonl");
        var lines = new StringBuilder();
        var count = 0;
        foreach (var (schema, json) in messages)
        {
            using var document = JsonDocument.Parse(json);
            lines.Append("{\"schema\":").Append(JsonSerializer.Serialize(schema)).Append(",\"message\":").Append(json).Append("}\n");
            count++;
        }

        await File.WriteAllTextAsync(file, lines.ToString());
        try
        {
            using var node = Process.Start(new ProcessStartInfo("node")
            {
                ArgumentList = { Path.Combine(AppContext.BaseDirectory, "validate-messages.js"), modules, SchemaDirectory, file },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = node.StandardOutput.ReadToEndAsync();
            var errors = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (node.ExitCode == 0, count, await output + await errors);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
