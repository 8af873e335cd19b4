using System.Globalization;
using System.Reflection;
using System.Text.Json;
using EdgeSam2.Agent.Options;
using EdgeSam2.Testing;
using Microsoft.Extensions.Configuration;

namespace EdgeSam2.Agent.Tests.Options;

/// <summary>config/edgesam2.json is the reference: it names every option, with its default, and it loads.</summary>
public sealed class SampleConfigTests
{
    private static readonly string SamplePath = Path.Combine(RepoPaths.Root, "config", "edgesam2.json");

    [Fact]
    public void SampleConfig_NamesEveryOptionWithItsDefault()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(SamplePath));
        var missing = new List<string>();
        var wrong = new List<string>();
        Compare(json.RootElement.GetProperty(AgentOptions.SectionName), typeof(AgentOptions), new AgentOptions(), AgentOptions.SectionName, missing, wrong);
        Assert.True(missing.Count == 0, "config/edgesam2.json does not name: " + string.Join(", ", missing));
        Assert.True(wrong.Count == 0, "config/edgesam2.json differs from the defaults: " + string.Join(", ", wrong));
    }

    [Fact]
    public void SampleConfig_LoadsWithoutErrors()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(SamplePath).Build();
        var errors = new List<string>();
        AgentConfiguration.TryLoad(configuration, new PathResolver(Path.GetDirectoryName(SamplePath)), errors);
        Assert.Empty(errors);
    }

    [Fact]
    public void ConfigReadme_DescribesEveryOption()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "README.md"));
        foreach (var type in new[] { typeof(AgentOptions), typeof(ModelOptions), typeof(MqttOptions), typeof(TrackingOptions), typeof(CommandOptions), typeof(OutputOptions), typeof(SnapshotOptions), typeof(HealthOptions), typeof(StateOptions), typeof(CameraOptions) })
        {
            foreach (var key in ConfigurationKeyWalker.KnownKeys(type))
            {
                Assert.Contains($"`{key}`", readme, StringComparison.Ordinal);
            }
        }
    }

    private static void Compare(JsonElement json, Type type, object defaults, string path, List<string> missing, List<string> wrong)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!property.CanWrite)
            {
                continue;
            }

            var at = path + ":" + property.Name;
            if (!json.TryGetProperty(property.Name, out var value))
            {
                missing.Add(at);
                continue;
            }

            var type2 = property.PropertyType;
            if (type2 == typeof(List<CameraOptions>))
            {
                Compare(value[0], typeof(CameraOptions), new CameraOptions(), at + ":0", missing, wrong);
            }
            else if (type2.IsClass && type2 != typeof(string) && !type2.IsGenericType)
            {
                Compare(value, type2, property.GetValue(defaults)!, at, missing, wrong);
            }
            else if (!type2.IsGenericType && !(type == typeof(CameraOptions) && property.Name is "Id" or "Url"))
            {
                var expected = Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture);
                var actual = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
                {
                    wrong.Add($"{at} is {actual}, default {expected}");
                }
            }
        }
    }
}
