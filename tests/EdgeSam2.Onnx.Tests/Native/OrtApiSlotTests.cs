using EdgeSam2.Onnx.Native;
using EdgeSam2.Onnx.Tests.Support;

namespace EdgeSam2.Onnx.Tests.Native;

/// <summary>
/// Proves by behaviour that the slots in <see cref="OrtApiSlot"/> hold the functions their names claim: a wrong
/// index calls a different function, which returns different data or crashes. The session and run slots are
/// covered by every other test; these cover the ones no model run reaches.
/// </summary>
public sealed unsafe class OrtApiSlotTests(OrtFixture ort) : IClassFixture<OrtFixture>
{
    [Fact]
    public void StatusSlots_RoundTripCodeAndMessage()
    {
        var api = ort.Runtime.Api;
        var message = "probe from the slot test"u8.ToArray().Append((byte)0).ToArray();
        IntPtr status;
        fixed (byte* text = message)
        {
            status = api.CreateStatus((int)OrtErrorCode.EngineError, text);
        }

        var error = api.ToException(status);

        Assert.Equal(OrtErrorCode.EngineError, error.Code);
        Assert.Equal("probe from the slot test", error.Message);
    }

    [Fact]
    public void CudaProviderOptionSlots_CreateUpdateDescribeRelease_BehaveAsNamed()
    {
        var before = OrtRuntime.LiveHandles;

        var (text, refused) = Try(() => ort.Runtime.Providers.DescribeCuda(new CudaProviderSpec(DeviceId: 3)));

        AssertDescribedOrRefusedForTheMissingProviderLibrary(text, refused, "device_id=3");
        Assert.Equal(before, OrtRuntime.LiveHandles);
    }

    [Fact]
    public void TensorRtProviderOptionSlots_CreateUpdateDescribeRelease_BehaveAsNamed()
    {
        var before = OrtRuntime.LiveHandles;

        var (text, refused) = Try(() => ort.Runtime.Providers.DescribeTensorRt(
            new TensorRtProviderSpec(DeviceId: 1, Fp16: true, EngineCachePath: "/var/cache/engines", TimingCachePath: "/var/cache/timing")));

        AssertDescribedOrRefusedForTheMissingProviderLibrary(
            text,
            refused,
            "device_id=1",
            "trt_fp16_enable=1",
            "trt_engine_cache_enable=1",
            "trt_engine_cache_path=/var/cache/engines",
            "trt_timing_cache_enable=1",
            "trt_timing_cache_path=/var/cache/timing");
        Assert.Equal(before, OrtRuntime.LiveHandles);
    }

    private static (string? Text, OrtException? Refused) Try(Func<string> describe)
    {
        try
        {
            return (describe(), null);
        }
        catch (OrtException e)
        {
            return (null, e);
        }
    }

    /// <summary>
    /// Where the provider library is installed (a GPU machine) ORT renders the options it was given. Where it is
    /// not (this CPU-only build), creating and releasing the options still works (the live-handle count returns)
    /// and the update is refused with ORT's provider-bridge error; a wrong slot would do neither.
    /// </summary>
    private static void AssertDescribedOrRefusedForTheMissingProviderLibrary(
        string? text, OrtException? refused, params string[] expected)
    {
        if (refused is not null)
        {
            Assert.Equal(OrtErrorCode.Fail, refused.Code);
            Assert.Contains("libonnxruntime_providers_shared", refused.Message, StringComparison.Ordinal);
            return;
        }

        Assert.NotNull(text);
        foreach (var setting in expected)
        {
            Assert.Contains(setting, text, StringComparison.Ordinal);
        }
    }
}
