using System.Collections.Concurrent;
using EdgeSam2.Onnx.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;

namespace EdgeSam2.Onnx.Providers;

/// <summary>
/// Opens graphs on the first provider that takes them. A provider that is missing from this build or fails to load
/// is reported once per reason (a CPU-only build refuses CUDA for every graph with the same words: one line, not
/// four), a provider that fails to build one graph (TensorRT on some SAM 2 decoders) is reported for that graph, and
/// the next provider is used. A missing GPU never stops the agent: CPU is always the last resort.
/// </summary>
public sealed class SessionOpener(ILogger logger)
{
    private readonly ConcurrentDictionary<(ExecutionProvider, string), bool> _reported = new();

    /// <summary>Opens <paramref name="path"/> for <paramref name="module"/>; throws only when the CPU provider fails too.</summary>
    /// <exception cref="OnnxRuntimeException">ORT cannot open the graph on CPU (a bad file or an unsupported operator).</exception>
    public OpenedSession Open(string module, string path, SessionSettings settings, TensorRtProfile? profile = null) =>
        Open(module, options => new InferenceSession(path, options), settings, profile);

    /// <summary>Opens a graph that <paramref name="create"/> makes from session options (one held in memory).</summary>
    /// <exception cref="OnnxRuntimeException">ORT cannot open the graph on CPU.</exception>
    public OpenedSession Open(string module, Func<SessionOptions, InferenceSession> create, SessionSettings settings, TensorRtProfile? profile = null)
    {
        _ = OrtRuntime.Environment();
        foreach (var spec in settings.Providers)
        {
            if (spec.Kind == ExecutionProvider.Cpu)
            {
                break;
            }

            var options = BaseOptions(settings);
            try
            {
                Append(options, spec, profile);
            }
            catch (Exception e) when (IsProviderFailure(e))
            {
                options.Dispose();
                Report(module, spec.Kind, "is not available", e.Message);
                continue;
            }

            try
            {
                var session = create(options);
                Log.ModuleOpened(logger, module, spec.Kind);
                return new OpenedSession(session, spec.Kind);
            }
            catch (OnnxRuntimeException e)
            {
                Report(module, spec.Kind, "failed to build the graph", e.Message);
            }
            finally
            {
                options.Dispose();
            }
        }

        using var cpu = BaseOptions(settings);
        var cpuSession = create(cpu);
        Log.ModuleOpened(logger, module, ExecutionProvider.Cpu);
        return new OpenedSession(cpuSession, ExecutionProvider.Cpu);
    }

    /// <summary>Session options every provider shares.</summary>
    internal static SessionOptions BaseOptions(SessionSettings settings)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = settings.IntraOpThreadsInUse,
            InterOpNumThreads = settings.InterOpThreads,
            LogId = "edgesam2",
        };
        var spin = settings.AllowThreadSpinning ? "1" : "0";
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", spin);
        options.AddSessionConfigEntry("session.inter_op.allow_spinning", spin);
        return options;
    }

    private static void Append(SessionOptions options, ExecutionProviderSpec spec, TensorRtProfile? profile)
    {
        switch (spec)
        {
            case TensorRtProviderSpec trt:
                if (!string.IsNullOrEmpty(trt.CacheDirectory))
                {
                    Directory.CreateDirectory(trt.CacheDirectory);
                }

                using (var trtOptions = new OrtTensorRTProviderOptions())
                {
                    trtOptions.UpdateOptions(trt.ToOrtOptions(profile));
                    options.AppendExecutionProvider_Tensorrt(trtOptions);
                }

                break;
            case CudaProviderSpec cuda:
                using (var cudaOptions = new OrtCUDAProviderOptions())
                {
                    cudaOptions.UpdateOptions(cuda.ToOrtOptions());
                    options.AppendExecutionProvider_CUDA(cudaOptions);
                }

                break;
            default:
                throw new ArgumentException($"unknown provider {spec}", nameof(spec));
        }
    }

    private static bool IsProviderFailure(Exception e) =>
        e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or IOException or UnauthorizedAccessException;

    private void Report(string module, ExecutionProvider provider, string what, string reason)
    {
        var firstLine = Runtime.OrtMessages.FirstLine(reason);
        if (_reported.TryAdd((provider, firstLine), true))
        {
            Log.ProviderFailed(logger, provider, what, module, firstLine);
        }
        else
        {
            Log.ProviderFailedAgain(logger, provider, module);
        }
    }
}
