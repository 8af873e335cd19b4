using System.Diagnostics.Metrics;
using System.Runtime.InteropServices;

namespace EdgeSam2.Agent.Telemetry;

/// <summary>
/// Memory of each NVIDIA GPU, read through NVML (<c>libnvidia-ml.so.1</c>, installed with the driver) when
/// <c>/metrics</c> is scraped. ONNX Runtime's managed API does not expose its CUDA arena, so this is the device's
/// used memory as NVML's <c>nvmlDeviceGetMemoryInfo</c> gives it (total − free: memory the driver reserves counts as used). On a box without the driver the library is probed once and nothing is
/// reported.
/// </summary>
internal static partial class GpuMemory
{
    private const string Library = "libnvidia-ml.so.1";
    private const int Success = 0;

    private static readonly Lazy<bool> Available = new(Initialize);

    /// <summary>True when NVML loaded and initialised on this box.</summary>
    public static bool IsAvailable => Available.Value;

    /// <summary>Used and total bytes per device (tag <c>device</c>: its index); none without NVML.</summary>
    public static IEnumerable<Measurement<long>> Used() => Read(total: false);

    /// <summary>Total bytes per device; none without NVML.</summary>
    public static IEnumerable<Measurement<long>> Total() => Read(total: true);

    /// <summary>Used bytes summed over every device (what <c>{base}/stats</c> carries); null without NVML or a device.</summary>
    public static long? UsedOnAllDevices()
    {
        long? sum = null;
        foreach (var m in Read(total: false))
        {
            sum = (sum ?? 0) + m.Value;
        }

        return sum;
    }

    private static IEnumerable<Measurement<long>> Read(bool total)
    {
        if (!Available.Value || DeviceCount(out var count) != Success)
        {
            yield break;
        }

        for (var i = 0u; i < count; i++)
        {
            if (DeviceHandle(i, out var device) == Success && MemoryInfo(device, out var memory) == Success)
            {
                yield return new Measurement<long>((long)(total ? memory.Total : memory.Used), new KeyValuePair<string, object?>("device", (int)i));
            }
        }
    }

    private static bool Initialize()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return Init() == Success;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport(Library, EntryPoint = "nvmlInit_v2")]
    private static partial int Init();

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetCount_v2")]
    private static partial int DeviceCount(out uint count);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    private static partial int DeviceHandle(uint index, out IntPtr device);

    [LibraryImport(Library, EntryPoint = "nvmlDeviceGetMemoryInfo")]
    private static partial int MemoryInfo(IntPtr device, out NvmlMemory memory);
}
