using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSam2.Mqtt.Client;

/// <summary>Certificates loaded once from the options, and the validation rule they imply.</summary>
internal sealed class TlsSettings
{
    private readonly string _host;
    private readonly bool _allowUntrusted;
    private readonly X509Certificate2Collection? _trustedRoots;
    private readonly X509Certificate2Collection? _clientCertificates;

    public TlsSettings(MqttClientOptions options)
    {
        _host = options.Host;
        _allowUntrusted = options.AllowUntrustedCertificates;
        if (options.CaCertificatePath is { } caPath)
        {
            _trustedRoots = [];
            _trustedRoots.ImportFromPemFile(caPath);
        }

        if (options.ClientCertificatePath is { } certPath)
        {
            _clientCertificates = [LoadClientCertificate(certPath, options.ClientKeyPath, options.ClientCertificatePassword)];
        }
    }

    public SslClientAuthenticationOptions CreateAuthenticationOptions() => new()
    {
        TargetHost = _host,
        ClientCertificates = _clientCertificates,
        RemoteCertificateValidationCallback = Validate,
    };

    private static X509Certificate2 LoadClientCertificate(string path, string? keyPath, string? password)
    {
        var extension = Path.GetExtension(path);
        if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }

        return X509Certificate2.CreateFromPemFile(path, keyPath ?? path);
    }

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_allowUntrusted || errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_trustedRoots is null || certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false;
        }

        // A private CA: the chain must end at one of its certificates, not at a system root.
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }
}
