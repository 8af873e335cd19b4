using System.Runtime.InteropServices;

namespace EdgeSam2.Onnx.Runtime;

/// <summary>
/// Points the managed API at a system ONNX Runtime build (Jetson images carry a CUDA build that no NuGet package
/// has) and checks, before the managed API touches it, that the library is new enough: the managed API asks for its
/// own API version and a native library older than that answers with a null table, which surfaces as an obscure
/// type-initialiser failure. We read the native version through <c>OrtGetApiBase</c> first and refuse with one line.
/// </summary>
internal static unsafe class SystemOrtLibrary
{
    private const string ManagedLibraryName = "onnxruntime";

    /// <summary>The ORT version the managed API was built for (its assembly version).</summary>
    public static Version ManagedVersion { get; } = ReadManagedVersion();

    /// <summary>Loads <paramref name="path"/>, checks its version and routes the managed API's P/Invokes to it.</summary>
    /// <exception cref="OrtRuntimeException">Missing file, not an ORT library, or older than <see cref="ManagedVersion"/>.</exception>
    public static string Use(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new OrtRuntimeException($"ONNX Runtime library '{fullPath}' does not exist (Model:OrtLibrary)");
        }

        if (!NativeLibrary.TryLoad(fullPath, out var handle))
        {
            throw new OrtRuntimeException($"ONNX Runtime library '{fullPath}' cannot be loaded (not a shared library for this machine, or a dependency is missing: try 'ldd {fullPath}')");
        }

        if (!NativeLibrary.TryGetExport(handle, "OrtGetApiBase", out var getApiBase))
        {
            throw new OrtRuntimeException($"'{fullPath}' is not an ONNX Runtime library (it has no OrtGetApiBase)");
        }

        // OrtApiBase is { GetApi, GetVersionString }: two function pointers (onnxruntime_c_api.h).
        var apiBase = ((delegate* unmanaged<nint>)getApiBase)();
        var versionText = Marshal.PtrToStringUTF8(((delegate* unmanaged<nint>*)apiBase)[1]()) ?? "";
        if (!Version.TryParse(versionText, out var native) || Trim(native) < ManagedVersion)
        {
            throw new OrtRuntimeException(
                $"ONNX Runtime library '{fullPath}' is version {versionText}; this agent's managed API is {ManagedVersion.ToString(3)} and needs a native library at least that new (build ORT {ManagedVersion.ToString(3)} for the device, or set Model:OrtLibrary to a newer one)");
        }

        NativeLibrary.SetDllImportResolver(typeof(Microsoft.ML.OnnxRuntime.OrtEnv).Assembly, (name, _, _) => name == ManagedLibraryName ? handle : 0);
        return versionText;
    }

    private static Version Trim(Version v) => new(v.Major, v.Minor, Math.Max(v.Build, 0));

    private static Version ReadManagedVersion()
    {
        var v = typeof(Microsoft.ML.OnnxRuntime.OrtEnv).Assembly.GetName().Version ?? new Version(0, 0, 0);
        return new Version(v.Major, v.Minor, Math.Max(v.Build, 0));
    }
}
