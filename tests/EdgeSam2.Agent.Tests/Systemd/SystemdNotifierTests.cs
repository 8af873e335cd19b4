using System.Net.Sockets;
using System.Text;
using EdgeSam2.Agent.Systemd;

namespace EdgeSam2.Agent.Tests.Systemd;

public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task Notify_PathSocket_DeliversTheDatagram()
    {
        var path = Path.Combine(Path.GetTempPath(), "edgesam2-notify-" + Guid.NewGuid().ToString("N")[..8]);
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            using var notifier = new SystemdNotifier(path);
            Assert.True(notifier.Notify("READY=1"));
            var buffer = new byte[256];
            var received = await systemd.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal("READY=1", Encoding.UTF8.GetString(buffer, 0, received));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Notify_AbstractSocket_DeliversTheDatagram()
    {
        var name = "edgesam2-test-" + Guid.NewGuid().ToString("N")[..8];
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notifier = new SystemdNotifier("@" + name);
        Assert.True(notifier.Notify("WATCHDOG=1"));
        var buffer = new byte[256];
        var received = await systemd.ReceiveAsync(buffer).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("WATCHDOG=1", Encoding.UTF8.GetString(buffer, 0, received));
    }

    [Fact]
    public void Notify_NoListener_ReturnsFalse()
    {
        using var notifier = new SystemdNotifier(Path.Combine(Path.GetTempPath(), "edgesam2-none-" + Guid.NewGuid().ToString("N")[..8]));
        Assert.False(notifier.Notify("READY=1"));
    }
}
