using System.Diagnostics;
using System.Globalization;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>What a subscriber that arrives now gets retained on a topic: mosquitto_sub, a client the agent never saw.</summary>
internal static class RetainedReader
{
    /// <summary>The retained payload of <paramref name="topic"/>, or empty when there is none within <paramref name="waitSeconds"/>.</summary>
    public static async Task<string> ReadAsync(AgentRig rig, string topic, int waitSeconds)
    {
        var start = new ProcessStartInfo(
            "mosquitto_sub",
            ["-h", rig.Broker.Host, "-p", rig.Broker.Port.ToString(CultureInfo.InvariantCulture), "-t", topic, "--retained-only", "-C", "1", "-W", waitSeconds.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var sub = Process.Start(start)!;
        var output = await sub.StandardOutput.ReadToEndAsync();
        await sub.WaitForExitAsync();
        return output.Trim();
    }
}
