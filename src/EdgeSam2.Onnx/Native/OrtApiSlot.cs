namespace EdgeSam2.Onnx.Native;

/// <summary>
/// Positions in the <c>OrtApi</c> function table (onnxruntime_c_api.h) of every entry this binding calls.
/// </summary>
/// <remarks>
/// The table is append-only: an entry keeps its slot in every later release, so these numbers hold for any
/// library that accepts <see cref="MinimumApiVersion"/>. Counted from the header and cross-checked against the
/// <c>static_assert(offsetof(OrtApi, X) / sizeof(void*) == N)</c> guards in onnxruntime_c_api.cc
/// (ReleaseCustomOpDomain 101, ReleaseModelMetadata 118, ReleaseAvailableProviders 126, ReleaseArenaCfg 157,
/// CreateSessionFromArrayWithPrepackedWeightsContainer 169; the 1.11 table ends version 9 at GetSparseTensorIndices 191
/// and version 10 at SynchronizeBoundOutputs 203, and the 1.13 header appends the CUDA V2 entries right after it).
/// The tests exercise every slot listed here against the real library.
/// </remarks>
internal static class OrtApiSlot
{
    /// <summary>
    /// The newest entries used (the CUDA V2 provider options, slots 204-208) arrived in API 11 (ORT 1.11), so that
    /// is the version requested: any ORT from 1.11 on (JetPack 5 ships 1.11-1.16) hands out this table.
    /// </summary>
    public const uint MinimumApiVersion = 11;

    // --- API 1 (ORT 1.0) ---
    public const int CreateStatus = 0;                      // OrtStatus* CreateStatus(OrtErrorCode, const char*)
    public const int GetErrorCode = 1;                      // OrtErrorCode GetErrorCode(const OrtStatus*)
    public const int GetErrorMessage = 2;                   // const char* GetErrorMessage(const OrtStatus*)
    public const int CreateEnv = 3;                         // (OrtLoggingLevel, const char* logid, OrtEnv**)
    public const int CreateEnvWithCustomLogger = 4;         // (OrtLoggingFunction, void* param, OrtLoggingLevel, const char* logid, OrtEnv**)
    public const int CreateSession = 7;                     // (const OrtEnv*, const char* path, const OrtSessionOptions*, OrtSession**)
    public const int Run = 9;                               // (OrtSession*, const OrtRunOptions*, names, values, n, out names, n, out values)
    public const int CreateSessionOptions = 10;             // (OrtSessionOptions**)
    public const int SetSessionGraphOptimizationLevel = 23; // (OrtSessionOptions*, GraphOptimizationLevel)
    public const int SetIntraOpNumThreads = 24;             // (OrtSessionOptions*, int)
    public const int SetInterOpNumThreads = 25;             // (OrtSessionOptions*, int)
    public const int SessionGetInputCount = 30;             // (const OrtSession*, size_t*)
    public const int SessionGetOutputCount = 31;            // (const OrtSession*, size_t*)
    public const int SessionGetInputTypeInfo = 33;          // (const OrtSession*, size_t, OrtTypeInfo**)
    public const int SessionGetOutputTypeInfo = 34;         // (const OrtSession*, size_t, OrtTypeInfo**)
    public const int SessionGetInputName = 36;              // (const OrtSession*, size_t, OrtAllocator*, char**)
    public const int SessionGetOutputName = 37;             // (const OrtSession*, size_t, OrtAllocator*, char**)
    public const int CreateTensorWithDataAsOrtValue = 49;   // (const OrtMemoryInfo*, void*, size_t bytes, const int64_t* shape, size_t rank, type, OrtValue**)
    public const int GetTensorMutableData = 51;             // (OrtValue*, void**)
    public const int CastTypeInfoToTensorInfo = 55;         // (const OrtTypeInfo*, const OrtTensorTypeAndShapeInfo**) not owned
    public const int GetOnnxTypeFromTypeInfo = 56;          // (const OrtTypeInfo*, ONNXType*)
    public const int GetTensorElementType = 60;             // (const OrtTensorTypeAndShapeInfo*, ONNXTensorElementDataType*)
    public const int GetDimensionsCount = 61;               // (const OrtTensorTypeAndShapeInfo*, size_t*)
    public const int GetDimensions = 62;                    // (const OrtTensorTypeAndShapeInfo*, int64_t*, size_t)
    public const int GetSymbolicDimensions = 63;            // (const OrtTensorTypeAndShapeInfo*, const char**, size_t)
    public const int GetTensorTypeAndShape = 65;            // (const OrtValue*, OrtTensorTypeAndShapeInfo**)
    public const int CreateCpuMemoryInfo = 69;              // (OrtAllocatorType, OrtMemType, OrtMemoryInfo**)
    public const int AllocatorFree = 76;                    // (OrtAllocator*, void*)
    public const int GetAllocatorWithDefaultOptions = 78;   // (OrtAllocator**) not owned
    public const int ReleaseEnv = 92;
    public const int ReleaseStatus = 93;
    public const int ReleaseMemoryInfo = 94;
    public const int ReleaseSession = 95;
    public const int ReleaseValue = 96;
    public const int ReleaseTypeInfo = 98;
    public const int ReleaseTensorTypeAndShapeInfo = 99;
    public const int ReleaseSessionOptions = 100;

    // --- API 4 (ORT 1.4) ---
    public const int GetAvailableProviders = 125;           // (char*** names, int* count)
    public const int ReleaseAvailableProviders = 126;       // (char** names, int count)

    // --- API 7 (ORT 1.7) ---
    public const int AddSessionConfigEntry = 130;           // (OrtSessionOptions*, const char* key, const char* value)

    // --- API 9 (ORT 1.9) ---
    public const int SessionOptionsAppendExecutionProvider_TensorRT_V2 = 170; // (OrtSessionOptions*, const OrtTensorRTProviderOptionsV2*)
    public const int CreateTensorRTProviderOptions = 171;   // (OrtTensorRTProviderOptionsV2**)
    public const int UpdateTensorRTProviderOptions = 172;   // (OrtTensorRTProviderOptionsV2*, keys, values, size_t)
    public const int GetTensorRTProviderOptionsAsString = 173; // (const OrtTensorRTProviderOptionsV2*, OrtAllocator*, char**)
    public const int ReleaseTensorRTProviderOptions = 174;

    // --- API 11 (ORT 1.11) ---
    public const int SessionOptionsAppendExecutionProvider_CUDA_V2 = 204; // (OrtSessionOptions*, const OrtCUDAProviderOptionsV2*)
    public const int CreateCUDAProviderOptions = 205;       // (OrtCUDAProviderOptionsV2**)
    public const int UpdateCUDAProviderOptions = 206;       // (OrtCUDAProviderOptionsV2*, keys, values, size_t)
    public const int GetCUDAProviderOptionsAsString = 207;  // (const OrtCUDAProviderOptionsV2*, OrtAllocator*, char**)
    public const int ReleaseCUDAProviderOptions = 208;
}
