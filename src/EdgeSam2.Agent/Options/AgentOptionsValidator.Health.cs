using System.Net;

namespace EdgeSam2.Agent.Options;

internal static partial class AgentOptionsValidator
{
    private static void ValidateHealth(HealthOptions health, List<string> errors)
    {
        const string S = AgentOptions.SectionName + ":Health";
        if (!(health.StallSeconds > 0))
        {
            errors.Add($"{S}:StallSeconds: {health.StallSeconds} must be positive.");
        }

        if (health.HttpEnabled)
        {
            if (!IPAddress.TryParse(health.HttpAddress, out _))
            {
                errors.Add($"{S}:HttpAddress: '{health.HttpAddress}' is not an IP address (e.g. 127.0.0.1, ::1 or 0.0.0.0).");
            }

            Range(health.HttpPort, 1, 65535, $"{S}:HttpPort", errors);
        }
    }
}
