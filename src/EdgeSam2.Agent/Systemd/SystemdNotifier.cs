using System.Net.Sockets;
using System.Text;

namespace EdgeSam2.Agent.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram per state change to the unix socket named by <c>$NOTIFY_SOCKET</c>
/// (a leading <c>@</c> names an abstract socket). The systemd hosting package is not reachable, and this is all it does.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket _socket;
    private readonly UnixDomainSocketEndPoint _endpoint;

    public SystemdNotifier(string socketPath)
    {
        _endpoint = new UnixDomainSocketEndPoint(socketPath.StartsWith('@') ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>The notifier for <c>$NOTIFY_SOCKET</c>; null when the agent does not run under systemd's notify protocol.</summary>
    public static SystemdNotifier? FromEnvironment() =>
        Environment.GetEnvironmentVariable("NOTIFY_SOCKET") is { Length: > 0 } path ? new SystemdNotifier(path) : null;

    /// <summary>The watchdog interval systemd asked for (<c>$WATCHDOG_USEC</c>); null when there is none.</summary>
    public static TimeSpan? WatchdogInterval() =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), out var usec) && usec > 0 ? TimeSpan.FromMicroseconds(usec) : null;

    /// <summary>Sends <paramref name="state"/> (e.g. <c>READY=1</c>); false when systemd's socket is gone (nothing to do then).</summary>
    public bool Notify(string state)
    {
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endpoint);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket.Dispose();
}
