using System.Runtime.InteropServices;

namespace EdgeSam2.Onnx.Runtime;

/// <summary>
/// ORT reads <c>ORT_DISABLE_TELEMETRY</c> with the C library's <c>getenv</c> while it creates its environment, and
/// <c>DisableTelemetryEvents</c> only acts after that. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not reach the native environment on Linux, so the variable is set through libc before ORT starts.
/// </summary>
internal static partial class NativeEnvironment
{
    private const string TelemetryVariable = "ORT_DISABLE_TELEMETRY";

    /// <summary>Sets ORT_DISABLE_TELEMETRY=1 for the process unless the operator set it already.</summary>
    public static void DisableOrtTelemetry()
    {
        if (Environment.GetEnvironmentVariable(TelemetryVariable) is null && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            _ = SetEnv(TelemetryVariable, "1", overwrite: 0);
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
