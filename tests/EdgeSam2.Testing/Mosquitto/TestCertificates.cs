using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSam2.Testing.Mosquitto;

/// <summary>
/// A throw-away CA with a server certificate for 127.0.0.1 and a client certificate, written as PEM files for
/// mosquitto's TLS listener and for clients. Made fresh per test: nothing secret is committed.
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

    public static TestCertificates Create(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=EdgeSam2 Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(1));

        var set = new TestCertificates(directory);
        File.WriteAllText(set.CaCertificatePath, ca.ExportCertificatePem());

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var server = Issue(ca, serverKey, "CN=127.0.0.1", serverAuth: true, now);
        File.WriteAllText(set.ServerCertificatePath, server.ExportCertificatePem());
        File.WriteAllText(set.ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem());

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var client = Issue(ca, clientKey, "CN=edgesam2-agent", serverAuth: false, now);
        File.WriteAllText(set.ClientCertificatePath, client.ExportCertificatePem() + "\n" + clientKey.ExportPkcs8PrivateKeyPem());
        return set;
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, ECDsa key, string subject, bool serverAuth, DateTimeOffset notBefore)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [serverAuth ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        return request.Create(ca, notBefore, notBefore.AddDays(1), RandomNumberGenerator.GetBytes(8));
    }
}
