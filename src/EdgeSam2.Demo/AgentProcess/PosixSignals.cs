using System.Runtime.InteropServices;

namespace EdgeSam2.Demo.AgentProcess;

/// <summary>
/// Sends SIGTERM to a child: <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL, which would
/// skip the clean stop (retained <c>stopped</c>) the demo wants to show.
/// </summary>
internal static partial class PosixSignals
{
    private const int SigTerm = 15;

    /// <summary>Asks process <paramref name="pid"/> to terminate; false when it no longer exists.</summary>
    public static bool Terminate(int pid) => Kill(pid, SigTerm) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
