using System.Net;
using System.Net.Sockets;

namespace EdgeSam2.Testing;

/// <summary>Free TCP ports on the loopback interface, for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>Asks the kernel for a free port on 127.0.0.1 and releases it for the caller to bind.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
