using System.Net;
using System.Net.Sockets;

namespace EdgeSam2.Demo.Broker;

/// <summary>A free TCP port on 127.0.0.1, so the demo never collides with a broker already running on 1883.</summary>
internal static class LoopbackPort
{
    /// <summary>Asks the kernel for a free port and releases it for the broker to bind.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
