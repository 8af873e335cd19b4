using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// Appends the preferred execution providers to session options through the V2 provider-options API. A provider ORT
/// refuses (no GPU build, provider library or driver missing) is logged once with ORT's reason, remembered, and
/// skipped from then on; CPU needs no appending and always remains.
/// </summary>
internal sealed unsafe class ExecutionProviders(OrtApi api)
{
    private readonly ConcurrentDictionary<ExecutionProviderSpec, string> _failed = new();

    /// <summary>Appends what ORT accepts; returns the provider that was appended first (CPU when none was).</summary>
    public OrtProvider Append(OrtSessionOptionsHandle options, IReadOnlyList<ExecutionProviderSpec> specs, ILogger logger)
    {
        var first = OrtProvider.Cpu;
        var appendedAny = false;
        foreach (var spec in specs)
        {
            if (spec.Kind == OrtProvider.Cpu)
            {
                // CPU takes every node it can run, so nothing after it would ever be used.
                break;
            }

            if (_failed.ContainsKey(spec))
            {
                Log.ProviderSkipped(logger, spec.Kind, spec);
                continue;
            }

            try
            {
                AppendOne(options, spec);
            }
            catch (OrtException e)
            {
                if (_failed.TryAdd(spec, e.Message))
                {
                    Log.ProviderUnavailable(logger, spec.Kind, spec, e.Message);
                }
                else
                {
                    Log.ProviderSkipped(logger, spec.Kind, spec);
                }

                continue;
            }

            Log.ProviderAppended(logger, spec.Kind, spec);
            if (!appendedAny)
            {
                first = spec.Kind;
                appendedAny = true;
            }
        }

        return first;
    }

    /// <summary>ORT's own rendering of CUDA provider options built from <paramref name="spec"/>.</summary>
    internal string DescribeCuda(CudaProviderSpec spec)
    {
        using var cuda = CreateCudaOptions(spec);
        var allocator = api.DefaultAllocator();
        byte* text;
        api.Check(api.GetCUDAProviderOptionsAsString(cuda.DangerousGetHandle(), allocator, &text));
        return api.TakeAllocatorString(allocator, text);
    }

    /// <summary>ORT's own rendering of TensorRT provider options built from <paramref name="spec"/>.</summary>
    internal string DescribeTensorRt(TensorRtProviderSpec spec)
    {
        using var trt = CreateTensorRtOptions(spec);
        var allocator = api.DefaultAllocator();
        byte* text;
        api.Check(api.GetTensorRTProviderOptionsAsString(trt.DangerousGetHandle(), allocator, &text));
        return api.TakeAllocatorString(allocator, text);
    }

    private void AppendOne(OrtSessionOptionsHandle options, ExecutionProviderSpec spec)
    {
        switch (spec)
        {
            case CudaProviderSpec cudaSpec:
                {
                    using var cuda = CreateCudaOptions(cudaSpec);
                    api.Check(api.SessionOptionsAppendExecutionProvider_CUDA_V2(
                        options.DangerousGetHandle(), cuda.DangerousGetHandle()));
                    break;
                }

            case TensorRtProviderSpec trtSpec:
                {
                    using var trt = CreateTensorRtOptions(trtSpec);
                    api.Check(api.SessionOptionsAppendExecutionProvider_TensorRT_V2(
                        options.DangerousGetHandle(), trt.DangerousGetHandle()));
                    break;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(spec), spec, "Unknown execution provider.");
        }
    }

    private OrtCudaProviderOptionsHandle CreateCudaOptions(CudaProviderSpec spec)
    {
        var handle = new OrtCudaProviderOptionsHandle(api);
        try
        {
            IntPtr created;
            api.Check(api.CreateCUDAProviderOptions(&created));
            handle.Attach(created);
            using var pairs = new Utf8KeyValues([Pair("device_id", spec.DeviceId)]);
            api.Check(api.UpdateCUDAProviderOptions(created, pairs.Keys, pairs.Values, pairs.Count));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private OrtTensorRtProviderOptionsHandle CreateTensorRtOptions(TensorRtProviderSpec spec)
    {
        var handle = new OrtTensorRtProviderOptionsHandle(api);
        try
        {
            IntPtr created;
            api.Check(api.CreateTensorRTProviderOptions(&created));
            handle.Attach(created);
            List<KeyValuePair<string, string>> settings =
            [
                Pair("device_id", spec.DeviceId),
                Pair("trt_fp16_enable", spec.Fp16 ? 1 : 0),
                Pair("trt_engine_cache_enable", spec.EngineCachePath is null ? 0 : 1),
                Pair("trt_timing_cache_enable", spec.TimingCachePath is null ? 0 : 1),
            ];
            if (spec.EngineCachePath is not null)
            {
                settings.Add(new("trt_engine_cache_path", spec.EngineCachePath));
            }

            if (spec.TimingCachePath is not null)
            {
                settings.Add(new("trt_timing_cache_path", spec.TimingCachePath));
            }

            using var pairs = new Utf8KeyValues(settings);
            api.Check(api.UpdateTensorRTProviderOptions(created, pairs.Keys, pairs.Values, pairs.Count));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static KeyValuePair<string, string> Pair(string key, int value) =>
        new(key, value.ToString(CultureInfo.InvariantCulture));
}
