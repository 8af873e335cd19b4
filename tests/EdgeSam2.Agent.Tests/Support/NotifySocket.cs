using System.Net.Sockets;
using System.Text;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>The test's stand-in for systemd's notify socket: a unix datagram socket whose path goes in <c>$NOTIFY_SOCKET</c>.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);

    public NotifySocket(string directory)
    {
        Path = System.IO.Path.Combine(directory, "notify-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
    }

    public string Path { get; }

    /// <summary>The next datagram; throws with <paramref name="context"/> (e.g. the agent's output) after <paramref name="timeout"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan timeout, Func<string> context)
    {
        var buffer = new byte[1024];
        try
        {
            var received = await _socket.ReceiveAsync(buffer).WaitAsync(timeout);
            return Encoding.UTF8.GetString(buffer, 0, received);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("no sd_notify message from the agent. Output:\n" + context());
        }
    }

    /// <summary>Receives until a datagram satisfies <paramref name="match"/>; every datagram seen on the way, that one last.</summary>
    public async Task<List<string>> ReceiveUntilAsync(Func<string, bool> match, TimeSpan timeout, Func<string> context)
    {
        var seen = new List<string>();
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            var message = await ReceiveAsync(timeout, () => $"{context()}\nDatagrams so far: {string.Join(" | ", seen)}");
            seen.Add(message);
            if (match(message))
            {
                return seen;
            }

            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"no matching sd_notify message within {timeout}. Datagrams: {string.Join(" | ", seen)}\nOutput:\n{context()}");
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        File.Delete(Path);
    }
}
