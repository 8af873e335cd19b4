using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeSam2.Onnx.Runtime;

/// <summary>
/// The process's one ONNX Runtime environment. ORT has a single environment per process whose logger and library
/// are fixed when it is first created, so this is the one place that creates it: ORT's own log lines go to our
/// logger (not to stdout), telemetry is off before the environment exists (ORT 1.29+ otherwise starts its uploader,
/// writes a device id and an event database under ~/.cache and a session file in the temp folder), and a system
/// library can replace the packaged one.
/// </summary>
public static class OrtRuntime
{
    private static readonly Lock Gate = new();
    private static OrtRuntimeOptions? _options;
    private static OrtEnv? _env;
    private static ILogger? _ortLogger;

    // Kept in a static field: ORT holds the native callback pointer for the life of the process.
    private static readonly DOrtLoggingFunction LogCallback = OnOrtLog;

    /// <summary>The native library's version string, e.g. "1.31.1".</summary>
    public static string Version => Environment().GetVersionString();

    /// <summary>The providers compiled into the loaded library, e.g. "TensorrtExecutionProvider".</summary>
    public static IReadOnlyList<string> AvailableProviders => Environment().GetAvailableProviders();

    /// <summary>The managed API's version: a system library must be at least this new.</summary>
    public static Version ManagedVersion => SystemOrtLibrary.ManagedVersion;

    /// <summary>
    /// Creates the environment on first call; later calls with the same options return at once, and a later call that
    /// asks for a different library fails (the library cannot change inside one process). The log sink and level
    /// are replaced by each call, so the latest host's logger receives ORT's messages.
    /// </summary>
    /// <exception cref="OrtRuntimeException">The configured library is missing, not ORT, or too old.</exception>
    public static void Initialize(OrtRuntimeOptions options, ILoggerFactory loggers)
    {
        lock (Gate)
        {
            _ortLogger = loggers.CreateLogger("EdgeSam2.Onnx.OnnxRuntime");
            if (_env is not null)
            {
                if (!string.Equals(Normalise(_options!.LibraryPath), Normalise(options.LibraryPath), StringComparison.Ordinal))
                {
                    throw new OrtRuntimeException(
                        $"ONNX Runtime is already loaded from {Describe(_options.LibraryPath)} in this process; it cannot switch to {Describe(options.LibraryPath)}");
                }

                _env.EnvLogLevel = ToOrt(options.MinimumLevel);
                return;
            }

            NativeEnvironment.DisableOrtTelemetry();
            if (!string.IsNullOrEmpty(options.LibraryPath))
            {
                OrtEnv.DisableDllImportResolver = true;
                SystemOrtLibrary.Use(options.LibraryPath);
            }

            var creation = new EnvironmentCreationOptions
            {
                logId = "edgesam2",
                logLevel = ToOrt(options.MinimumLevel),
                loggingFunction = LogCallback,
            };
            try
            {
                _env = OrtEnv.CreateInstanceWithOptions(ref creation);
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or OnnxRuntimeException)
            {
                throw new OrtRuntimeException($"ONNX Runtime could not start from {Describe(options.LibraryPath)}: {Innermost(e).Message}", e);
            }

            _env.DisableTelemetryEvents();
            _options = options;
        }
    }

    /// <summary>The environment, created with defaults (warnings and up to a null logger) if nobody initialised it.</summary>
    internal static OrtEnv Environment()
    {
        if (_env is null)
        {
            Initialize(new OrtRuntimeOptions(), Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        }

        return _env!;
    }

    private static void OnOrtLog(IntPtr param, OrtLoggingLevel severity, string category, string logId, string codeLocation, string message)
    {
        var logger = _ortLogger;
        var level = ToLogLevel(severity);
        if (logger is not null && logger.IsEnabled(level))
        {
            Log.OrtMessage(logger, level, category, message);
        }
    }

    private static LogLevel ToLogLevel(OrtLoggingLevel severity) => severity switch
    {
        OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE => LogLevel.Trace,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO => LogLevel.Debug,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING => LogLevel.Warning,
        OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private static OrtLoggingLevel ToOrt(LogLevel level) => level switch
    {
        LogLevel.Trace => OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
        LogLevel.Debug or LogLevel.Information => OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
        LogLevel.Warning => OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
        LogLevel.Error => OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        _ => OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
    };

    private static string Normalise(string? path) => string.IsNullOrEmpty(path) ? "" : Path.GetFullPath(path);

    private static string Describe(string? path) => string.IsNullOrEmpty(path) ? "the packaged library" : $"'{Path.GetFullPath(path)}'";

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
