using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// One loaded ONNX Runtime library and its <c>OrtEnv</c>; opens sessions. The library stays loaded for the life of
/// the process (ORT's thread pools do not survive unloading); disposing releases the env once the last session
/// opened from it is gone.
/// </summary>
public sealed unsafe class OrtRuntime : IDisposable
{
    private static readonly byte[] LogId = Utf8.NullTerminated("EdgeSam2");

    private readonly OrtApi _api;
    private readonly OrtEnvHandle _env;
    private readonly ExecutionProviders _providers;

    private OrtRuntime(string libraryPath, OrtApi api, OrtEnvHandle env, string version, string[] providers)
    {
        LibraryPath = libraryPath;
        _api = api;
        _env = env;
        _providers = new ExecutionProviders(api);
        Version = version;
        AvailableProviders = providers;
    }

    /// <summary>Native ORT objects created and not yet released, process-wide (env, options, sessions, values...).</summary>
    public static long LiveHandles => OrtHandleCount.Live;

    /// <summary>The library this runtime was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>ORT's version string, e.g. "1.30.0".</summary>
    public string Version { get; }

    /// <summary>The C API version requested from the library (the lowest that has every entry used).</summary>
    public static uint ApiVersion => OrtApiSlot.MinimumApiVersion;

    /// <summary>Providers compiled into the library (e.g. CPUExecutionProvider); being listed does not mean usable.</summary>
    public IReadOnlyList<string> AvailableProviders { get; }

    internal OrtApi Api => _api;

    internal ExecutionProviders Providers => _providers;

    /// <summary>Loads the ORT shared library at <paramref name="libraryPath"/> and creates its env.</summary>
    /// <param name="libraryPath">Path of libonnxruntime.so (or .so.1).</param>
    /// <param name="level">ORT's own log threshold.</param>
    /// <param name="logger">
    /// Receives ORT's own log messages at or above <paramref name="level"/>; without one ORT writes them to stderr.
    /// ORT keeps a single env per process, so the logger and level of the first runtime alive apply to all.
    /// </param>
    /// <exception cref="OrtLibraryException">The file is missing, not loadable, not ORT, or older than API 11.</exception>
    public static OrtRuntime Load(string libraryPath, OrtLogLevel level = OrtLogLevel.Warning, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryPath);
        var fullPath = Path.GetFullPath(libraryPath);
        if (!File.Exists(fullPath))
        {
            throw new OrtLibraryException(
                fullPath, $"The ONNX Runtime library '{fullPath}' does not exist.", new FileNotFoundException(null, fullPath));
        }

        IntPtr library;
        try
        {
            library = NativeLibrary.Load(fullPath);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OrtLibraryException(
                fullPath, $"'{fullPath}' cannot be loaded as a shared library: {e.Message}", e);
        }

        // Never unloaded, even on failure below: a library that loaded may have started threads.
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            throw new OrtLibraryException(
                fullPath, $"'{fullPath}' is not an ONNX Runtime library: it does not export OrtGetApiBase.");
        }

        var apiBase = ((delegate* unmanaged[Cdecl]<OrtApiBase*>)getApiBase)();
        var version = Marshal.PtrToStringUTF8((IntPtr)apiBase->GetVersionString()) ?? "unknown";
        var table = apiBase->GetApi(OrtApiSlot.MinimumApiVersion);
        if (table is null)
        {
            throw new OrtLibraryException(
                fullPath,
                $"The ONNX Runtime at '{fullPath}' (version {version}) does not offer C API {OrtApiSlot.MinimumApiVersion}; ORT 1.11 or newer is needed.");
        }

        var api = new OrtApi((void**)table);
        var env = new OrtEnvHandle(api);
        try
        {
            IntPtr created;
            fixed (byte* logId = LogId)
            {
                if (logger is null)
                {
                    api.Check(api.CreateEnv((int)level, logId, &created));
                }
                else
                {
                    OrtLogRouting.RouteTo(logger);
                    api.Check(api.CreateEnvWithCustomLogger(OrtLogRouting.Callback, IntPtr.Zero, (int)level, logId, &created));
                }
            }

            env.Attach(created);
            return new OrtRuntime(fullPath, api, env, version, ReadAvailableProviders(api));
        }
        catch
        {
            env.Dispose();
            throw;
        }
    }

    /// <summary>Opens <paramref name="modelPath"/> with the given threads, optimisation level and providers.</summary>
    /// <exception cref="OrtException">ORT cannot load the model (missing file, not ONNX, unsupported operators...).</exception>
    public OrtSession OpenSession(string modelPath, OrtSessionSettings settings, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(settings);
        ObjectDisposedException.ThrowIf(_env.IsClosed, this);
        return OrtSession.Open(this, _env, modelPath, settings, logger ?? NullLogger.Instance);
    }

    public void Dispose() => _env.Dispose();

    private static string[] ReadAvailableProviders(OrtApi api)
    {
        byte** names;
        int count;
        api.Check(api.GetAvailableProviders(&names, &count));
        try
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = Marshal.PtrToStringUTF8((IntPtr)names[i]) ?? string.Empty;
            }

            return result;
        }
        finally
        {
            api.Check(api.ReleaseAvailableProviders(names, count));
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly struct OrtApiBase
    {
        public readonly delegate* unmanaged[Cdecl]<uint, void*> GetApi;
        public readonly delegate* unmanaged[Cdecl]<byte*> GetVersionString;
    }
}
