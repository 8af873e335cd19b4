using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// Forwards ONNX Runtime's own log lines into an <see cref="ILogger"/>. ORT keeps one env, and so one logging
/// function, per process; the target is therefore process-wide too, and the callback needs no per-env state.
/// </summary>
internal static unsafe class OrtLogRouting
{
    private static ILogger? _target;

    /// <summary>The <c>OrtLoggingFunction</c> to hand to CreateEnvWithCustomLogger.</summary>
    public static IntPtr Callback => (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int, byte*, byte*, byte*, byte*, void>)&OnMessage;

    public static void RouteTo(ILogger logger) => Volatile.Write(ref _target, logger);

    private static LogLevel ToLogLevel(int severity) => severity switch
    {
        0 => LogLevel.Trace,
        1 => LogLevel.Information,
        2 => LogLevel.Warning,
        3 => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnMessage(IntPtr param, int severity, byte* category, byte* logId, byte* codeLocation, byte* message)
    {
        var logger = Volatile.Read(ref _target);
        if (logger is null)
        {
            return;
        }

        try
        {
            var level = ToLogLevel(severity);
            if (logger.IsEnabled(level))
            {
                var categoryText = Marshal.PtrToStringUTF8((IntPtr)category) ?? string.Empty;
                var messageText = Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty;
                Log.OrtMessage(logger, level, categoryText, messageText);
            }
        }
        catch (Exception)
        {
            // An exception must never unwind into ORT's native frames; a lost log line is the lesser harm.
        }
    }
}
