using System.Text.Json.Serialization;

namespace EdgeSam2.Bench.Report;

/// <summary>Source-generated JSON for report.json.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(BenchReport))]
internal sealed partial class ReportJson : JsonSerializerContext;
