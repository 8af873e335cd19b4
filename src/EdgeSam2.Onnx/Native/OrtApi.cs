using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// The entries of one loaded library's <c>OrtApi</c> table, read once into typed unmanaged function pointers.
/// Handles are <see cref="IntPtr"/>, strings are null-terminated UTF-8, every <c>OrtStatus*</c> result goes through
/// <see cref="Check"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr> CreateStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int> GetErrorCode;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*> GetErrorMessage;
    public readonly delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr> CreateEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, byte*, IntPtr*, IntPtr> CreateEnvWithCustomLogger;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr> CreateSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr> Run;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetSessionGraphOptimizationLevel;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetIntraOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr> SetInterOpNumThreads;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr> AddSessionConfigEntry;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetInputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> SessionGetOutputCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetInputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr> SessionGetOutputTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetInputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr> SessionGetOutputName;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr> CreateTensorWithDataAsOrtValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr> GetTensorMutableData;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> CastTypeInfoToTensorInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> GetOnnxTypeFromTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr> GetTensorElementType;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr> GetDimensionsCount;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr> GetDimensions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte**, nuint, IntPtr> GetSymbolicDimensions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr> GetTensorTypeAndShape;
    public readonly delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr> CreateCpuMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr> AllocatorFree;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> GetAllocatorWithDefaultOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseEnv;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseStatus;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseMemoryInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSession;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseValue;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTypeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTensorTypeAndShapeInfo;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseSessionOptions;
    public readonly delegate* unmanaged[Cdecl]<byte***, int*, IntPtr> GetAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<byte**, int, IntPtr> ReleaseAvailableProviders;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr> SessionOptionsAppendExecutionProvider_TensorRT_V2;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateTensorRTProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte**, byte**, nuint, IntPtr> UpdateTensorRTProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr> GetTensorRTProviderOptionsAsString;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseTensorRTProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr> SessionOptionsAppendExecutionProvider_CUDA_V2;
    public readonly delegate* unmanaged[Cdecl]<IntPtr*, IntPtr> CreateCUDAProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, byte**, byte**, nuint, IntPtr> UpdateCUDAProviderOptions;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr> GetCUDAProviderOptionsAsString;
    public readonly delegate* unmanaged[Cdecl]<IntPtr, void> ReleaseCUDAProviderOptions;

    public OrtApi(void** table)
    {
        CreateStatus = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr>)table[OrtApiSlot.CreateStatus];
        GetErrorCode = (delegate* unmanaged[Cdecl]<IntPtr, int>)table[OrtApiSlot.GetErrorCode];
        GetErrorMessage = (delegate* unmanaged[Cdecl]<IntPtr, byte*>)table[OrtApiSlot.GetErrorMessage];
        CreateEnv = (delegate* unmanaged[Cdecl]<int, byte*, IntPtr*, IntPtr>)table[OrtApiSlot.CreateEnv];
        CreateEnvWithCustomLogger = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int, byte*, IntPtr*, IntPtr>)table[OrtApiSlot.CreateEnvWithCustomLogger];
        CreateSession = (delegate* unmanaged[Cdecl]<IntPtr, byte*, IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.CreateSession];
        Run = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr*, IntPtr*, nuint, IntPtr*, nuint, IntPtr*, IntPtr>)table[OrtApiSlot.Run];
        CreateSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[OrtApiSlot.CreateSessionOptions];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetSessionGraphOptimizationLevel];
        SetIntraOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetIntraOpNumThreads];
        SetInterOpNumThreads = (delegate* unmanaged[Cdecl]<IntPtr, int, IntPtr>)table[OrtApiSlot.SetInterOpNumThreads];
        AddSessionConfigEntry = (delegate* unmanaged[Cdecl]<IntPtr, byte*, byte*, IntPtr>)table[OrtApiSlot.AddSessionConfigEntry];
        SessionGetInputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.SessionGetInputCount];
        SessionGetOutputCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.SessionGetOutputCount];
        SessionGetInputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)table[OrtApiSlot.SessionGetInputTypeInfo];
        SessionGetOutputTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr*, IntPtr>)table[OrtApiSlot.SessionGetOutputTypeInfo];
        SessionGetInputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[OrtApiSlot.SessionGetInputName];
        SessionGetOutputName = (delegate* unmanaged[Cdecl]<IntPtr, nuint, IntPtr, byte**, IntPtr>)table[OrtApiSlot.SessionGetOutputName];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged[Cdecl]<IntPtr, void*, nuint, long*, nuint, int, IntPtr*, IntPtr>)table[OrtApiSlot.CreateTensorWithDataAsOrtValue];
        GetTensorMutableData = (delegate* unmanaged[Cdecl]<IntPtr, void**, IntPtr>)table[OrtApiSlot.GetTensorMutableData];
        CastTypeInfoToTensorInfo = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.CastTypeInfoToTensorInfo];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)table[OrtApiSlot.GetOnnxTypeFromTypeInfo];
        GetTensorElementType = (delegate* unmanaged[Cdecl]<IntPtr, int*, IntPtr>)table[OrtApiSlot.GetTensorElementType];
        GetDimensionsCount = (delegate* unmanaged[Cdecl]<IntPtr, nuint*, IntPtr>)table[OrtApiSlot.GetDimensionsCount];
        GetDimensions = (delegate* unmanaged[Cdecl]<IntPtr, long*, nuint, IntPtr>)table[OrtApiSlot.GetDimensions];
        GetSymbolicDimensions = (delegate* unmanaged[Cdecl]<IntPtr, byte**, nuint, IntPtr>)table[OrtApiSlot.GetSymbolicDimensions];
        GetTensorTypeAndShape = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr*, IntPtr>)table[OrtApiSlot.GetTensorTypeAndShape];
        CreateCpuMemoryInfo = (delegate* unmanaged[Cdecl]<int, int, IntPtr*, IntPtr>)table[OrtApiSlot.CreateCpuMemoryInfo];
        AllocatorFree = (delegate* unmanaged[Cdecl]<IntPtr, void*, IntPtr>)table[OrtApiSlot.AllocatorFree];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[OrtApiSlot.GetAllocatorWithDefaultOptions];
        ReleaseEnv = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseEnv];
        ReleaseStatus = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseStatus];
        ReleaseMemoryInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseMemoryInfo];
        ReleaseSession = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseSession];
        ReleaseValue = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseValue];
        ReleaseTypeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseTypeInfo];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseTensorTypeAndShapeInfo];
        ReleaseSessionOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseSessionOptions];
        GetAvailableProviders = (delegate* unmanaged[Cdecl]<byte***, int*, IntPtr>)table[OrtApiSlot.GetAvailableProviders];
        ReleaseAvailableProviders = (delegate* unmanaged[Cdecl]<byte**, int, IntPtr>)table[OrtApiSlot.ReleaseAvailableProviders];
        SessionOptionsAppendExecutionProvider_TensorRT_V2 = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr>)table[OrtApiSlot.SessionOptionsAppendExecutionProvider_TensorRT_V2];
        CreateTensorRTProviderOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[OrtApiSlot.CreateTensorRTProviderOptions];
        UpdateTensorRTProviderOptions = (delegate* unmanaged[Cdecl]<IntPtr, byte**, byte**, nuint, IntPtr>)table[OrtApiSlot.UpdateTensorRTProviderOptions];
        GetTensorRTProviderOptionsAsString = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr>)table[OrtApiSlot.GetTensorRTProviderOptionsAsString];
        ReleaseTensorRTProviderOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseTensorRTProviderOptions];
        SessionOptionsAppendExecutionProvider_CUDA_V2 = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, IntPtr>)table[OrtApiSlot.SessionOptionsAppendExecutionProvider_CUDA_V2];
        CreateCUDAProviderOptions = (delegate* unmanaged[Cdecl]<IntPtr*, IntPtr>)table[OrtApiSlot.CreateCUDAProviderOptions];
        UpdateCUDAProviderOptions = (delegate* unmanaged[Cdecl]<IntPtr, byte**, byte**, nuint, IntPtr>)table[OrtApiSlot.UpdateCUDAProviderOptions];
        GetCUDAProviderOptionsAsString = (delegate* unmanaged[Cdecl]<IntPtr, IntPtr, byte**, IntPtr>)table[OrtApiSlot.GetCUDAProviderOptionsAsString];
        ReleaseCUDAProviderOptions = (delegate* unmanaged[Cdecl]<IntPtr, void>)table[OrtApiSlot.ReleaseCUDAProviderOptions];
    }

    /// <summary>Throws the <see cref="OrtException"/> a non-null status stands for, releasing the status.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Check(IntPtr status)
    {
        if (status != IntPtr.Zero)
        {
            Throw(status);
        }
    }

    /// <summary>Converts a non-null status into an exception and releases the status.</summary>
    public OrtException ToException(IntPtr status)
    {
        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((IntPtr)GetErrorMessage(status)) ?? string.Empty;
        ReleaseStatus(status);
        return new OrtException(code, message);
    }

    /// <summary>The process-wide default CPU allocator ORT uses for the strings it hands back; not owned.</summary>
    public IntPtr DefaultAllocator()
    {
        IntPtr allocator;
        Check(GetAllocatorWithDefaultOptions(&allocator));
        return allocator;
    }

    /// <summary>Copies a string ORT allocated with the default allocator, then frees it there.</summary>
    public string TakeAllocatorString(IntPtr allocator, byte* value)
    {
        try
        {
            return Marshal.PtrToStringUTF8((IntPtr)value) ?? string.Empty;
        }
        finally
        {
            Check(AllocatorFree(allocator, value));
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Throw(IntPtr status) => throw ToException(status);
}
