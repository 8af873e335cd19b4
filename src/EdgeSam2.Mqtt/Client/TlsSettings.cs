using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MqttNet = MQTTnet;

namespace EdgeSam2.Mqtt.Client;

/// <summary>
/// Certificates loaded once from the options, the validation rule they imply, and why the last broker certificate
/// was refused: the connect failure then says "untrusted CA" or "name mismatch" instead of a bare handshake error.
/// </summary>
internal sealed class TlsSettings
{
    private readonly bool _allowUntrusted;
    private readonly X509Certificate2Collection? _trustedRoots;
    private volatile string? _lastRejection;

    public TlsSettings(MqttClientOptions options)
    {
        Host = options.Host;
        _allowUntrusted = options.AllowUntrustedCertificates;
        if (options.CaCertificatePath is { } caPath)
        {
            _trustedRoots = [];
            _trustedRoots.ImportFromPemFile(caPath);
        }

        if (options.ClientCertificatePath is { } certPath)
        {
            ClientCertificates = [LoadClientCertificate(certPath, options.ClientKeyPath, options.ClientCertificatePassword)];
        }
    }

    /// <summary>The name the broker's certificate must carry (DNS name or IP address).</summary>
    public string Host { get; }

    public X509Certificate2Collection? ClientCertificates { get; }

    /// <summary>Why the broker's certificate was refused in the latest handshake; null when it was not.</summary>
    public string? TakeLastRejection() => Interlocked.Exchange(ref _lastRejection, null);

    public bool Validate(MqttNet.MqttClientCertificateValidationEventArgs args) => Validate(args.Certificate, args.SslPolicyErrors);

    private static X509Certificate2 LoadClientCertificate(string path, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        return X509Certificate2.CreateFromPemFile(path, keyPath ?? path);
    }

    private bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (_allowUntrusted || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            _lastRejection = "the broker sent no certificate";
            return false;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            _lastRejection = $"the broker's certificate ({certificate.Subject}) is not issued for '{Host}' (host name mismatch)";
            return false;
        }

        if (_trustedRoots is null)
        {
            _lastRejection = $"the broker's certificate ({certificate.Subject}, issued by {certificate.Issuer}) is not trusted by the system store (untrusted CA; set the CA certificate)";
            return false;
        }

        // A private CA: the chain must end at one of its certificates, not at a system root.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        if (custom.Build(leaf))
        {
            return true;
        }

        var status = custom.ChainStatus.Length > 0 ? custom.ChainStatus[0].Status.ToString() : "chain error";
        _lastRejection = $"the broker's certificate ({certificate.Subject}, issued by {certificate.Issuer}) does not chain to the configured CA (untrusted CA: {status})";
        return false;
    }
}
