using System.Runtime.InteropServices;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// Owns one native ORT object. <see cref="SafeHandle"/> guarantees the matching ReleaseXxx runs exactly once, even
/// when Dispose races a call that holds a reference (DangerousAddRef), and counts it in
/// <see cref="OrtHandleCount"/>.
/// </summary>
internal abstract class OrtHandle : SafeHandle
{
    protected OrtHandle(OrtApi api)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        Api = api;
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected OrtApi Api { get; }

    /// <summary>Takes ownership of an object ORT just created.</summary>
    public void Attach(IntPtr created)
    {
        if (created == IntPtr.Zero)
        {
            throw new InvalidOperationException($"ONNX Runtime returned success but no {GetType().Name} object.");
        }

        SetHandle(created);
        OrtHandleCount.Created();
    }

    protected sealed override bool ReleaseHandle()
    {
        Release(handle);
        OrtHandleCount.Released();
        return true;
    }

    protected abstract void Release(IntPtr native);
}

internal sealed unsafe class OrtEnvHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseEnv(native);
}

internal sealed unsafe class OrtSessionOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseSessionOptions(native);
}

internal sealed unsafe class OrtMemoryInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseMemoryInfo(native);
}

internal sealed unsafe class OrtValueHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseValue(native);
}

internal sealed unsafe class OrtTypeInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseTypeInfo(native);
}

internal sealed unsafe class OrtTensorTypeAndShapeInfoHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseTensorTypeAndShapeInfo(native);
}

internal sealed unsafe class OrtCudaProviderOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseCUDAProviderOptions(native);
}

internal sealed unsafe class OrtTensorRtProviderOptionsHandle(OrtApi api) : OrtHandle(api)
{
    protected override void Release(IntPtr native) => Api.ReleaseTensorRTProviderOptions(native);
}

/// <summary>
/// A session, plus what must outlive it: the env (held by reference count, so disposing the runtime first is
/// safe) and the CPU memory description its per-call tensors use. Built only once ORT has produced the session.
/// </summary>
internal sealed unsafe class OrtSessionHandle : OrtHandle
{
    private readonly OrtEnvHandle _env;
    private readonly OrtMemoryInfoHandle _memoryInfo;
    private bool _envReferenced;

    public OrtSessionHandle(OrtApi api, OrtEnvHandle env, OrtMemoryInfoHandle memoryInfo)
        : base(api)
    {
        _env = env;
        _memoryInfo = memoryInfo;
        _env.DangerousAddRef(ref _envReferenced);
    }

    /// <summary>The CPU memory info; valid while the caller holds a reference on this handle.</summary>
    public IntPtr MemoryInfo => _memoryInfo.DangerousGetHandle();

    protected override void Release(IntPtr native)
    {
        Api.ReleaseSession(native);
        _memoryInfo.Dispose();
        if (_envReferenced)
        {
            _envReferenced = false;
            _env.DangerousRelease();
        }
    }
}
