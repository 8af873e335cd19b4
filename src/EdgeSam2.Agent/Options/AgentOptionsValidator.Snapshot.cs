namespace EdgeSam2.Agent.Options;

internal static partial class AgentOptionsValidator
{
    private static void ValidateSnapshot(SnapshotOptions snapshot, List<string> errors)
    {
        const string S = AgentOptions.SectionName + ":Snapshot";
        if (double.IsNaN(snapshot.IntervalSeconds) || snapshot.IntervalSeconds is < 0 or > 86400 || snapshot.IntervalSeconds is > 0 and < 0.1)
        {
            errors.Add($"{S}:IntervalSeconds: {snapshot.IntervalSeconds} must be 0 (on request only) or from 0.1 to 86400.");
        }

        Range(snapshot.JpegQuality, 1, 100, $"{S}:JpegQuality", errors);
        Range(snapshot.MaxWaiting, 1, 1024, $"{S}:MaxWaiting", errors);
    }
}
