using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace EdgeSam2.Testing.Mosquitto;

/// <summary>
/// A throw-away CA with a server certificate and a client certificate, made with the <c>openssl</c> command line
/// (as a site would make them) and written as PEM files for mosquitto's TLS listener and for clients. Made fresh per
/// test: nothing secret is committed.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    public string ServerCertificatePath => Path.Combine(Directory, "server.crt");

    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>Client certificate and its private key in one PEM file.</summary>
    public string ClientCertificatePath => Path.Combine(Directory, "client.pem");

    /// <summary>The mosquitto listener lines for this set; with <paramref name="requireClientCertificate"/> mutual TLS.</summary>
    public IReadOnlyList<string> ListenerConfig(bool requireClientCertificate = false) =>
    [
        $"cafile {CaCertificatePath}",
        $"certfile {ServerCertificatePath}",
        $"keyfile {ServerKeyPath}",
        $"require_certificate {(requireClientCertificate ? "true" : "false")}",
    ];

    /// <summary>
    /// Makes a CA, a server certificate for <paramref name="serverName"/> (an IP address also gets <c>localhost</c>;
    /// any other name is the only one on the certificate) and a client certificate, all signed by that CA.
    /// </summary>
    public static TestCertificates Create(string directory, string serverName = "127.0.0.1")
    {
        System.IO.Directory.CreateDirectory(directory);
        var set = new TestCertificates(directory);
        Openssl(directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=EdgeSam2 Test CA " + Path.GetFileName(directory),
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");

        var names = IPAddress.TryParse(serverName, out _) ? $"IP:{serverName},DNS:localhost" : $"DNS:{serverName}";
        Issue(directory, "server", "/CN=" + serverName, "serverAuth", names);
        Issue(directory, "client", "/CN=edgesam2-agent", "clientAuth", null);
        File.WriteAllText(set.ClientCertificatePath, File.ReadAllText(Path.Combine(directory, "client.crt")) + File.ReadAllText(Path.Combine(directory, "client.key")));
        return set;
    }

    private static void Issue(string directory, string name, string subject, string usage, string? altNames)
    {
        var extensions = $"basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage={usage}\n"
            + (altNames is null ? "" : $"subjectAltName={altNames}\n");
        File.WriteAllText(Path.Combine(directory, name + ".ext"), extensions);
        Openssl(directory, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", subject);
        var serial = "0x" + Random.Shared.NextInt64(1, long.MaxValue).ToString("x", CultureInfo.InvariantCulture);
        Openssl(directory, "x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial", serial,
            "-days", "2", "-out", name + ".crt", "-extfile", name + ".ext");
    }

    private static void Openssl(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            WorkingDirectory = directory,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start (apt install openssl).");
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}");
        }
    }
}
