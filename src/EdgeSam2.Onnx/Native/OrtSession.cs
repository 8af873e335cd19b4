using Microsoft.Extensions.Logging;

namespace EdgeSam2.Onnx.Native;

/// <summary>
/// One loaded model. <see cref="Run"/> is the hot path: tensors over caller-owned memory in and out, names resolved
/// through dictionaries built once, UTF-8 names cached, no managed allocation per call. Run may be called from
/// several threads at once (ORT sessions are thread-safe for Run).
/// </summary>
public sealed unsafe partial class OrtSession : IDisposable
{
    // Graphs with more tensors than this get their per-call pointer arrays from the heap instead of the stack.
    private const int StackTensorLimit = 32;

    // C API enum values: OrtArenaAllocator, OrtMemTypeDefault, ONNX_TYPE_TENSOR.
    private const int OrtArenaAllocator = 1;
    private const int OrtMemTypeDefault = 0;
    private const int OnnxTypeTensor = 1;

    private readonly OrtApi _api;
    private readonly OrtSessionHandle _handle;
    private readonly OrtNodeInfo[] _inputs;
    private readonly OrtNodeInfo[] _outputs;
    private readonly IntPtr[] _inputNames;
    private readonly IntPtr[] _outputNames;
    private readonly Dictionary<string, int> _inputIndex;
    private readonly Dictionary<string, int> _outputIndex;

    // Pinned-heap arrays behind _inputNames/_outputNames; referenced so they live as long as the session.
    private readonly byte[][] _nameStorage;

    private OrtSession(OrtApi api, OrtSessionHandle handle, string modelPath, OrtProvider provider)
    {
        _api = api;
        _handle = handle;
        ModelPath = modelPath;
        Provider = provider;

        var allocator = api.DefaultAllocator();
        var session = handle.DangerousGetHandle();
        nuint inputCount, outputCount;
        api.Check(api.SessionGetInputCount(session, &inputCount));
        api.Check(api.SessionGetOutputCount(session, &outputCount));

        _inputs = new OrtNodeInfo[(int)inputCount];
        _outputs = new OrtNodeInfo[(int)outputCount];
        for (var i = 0; i < _inputs.Length; i++)
        {
            byte* name;
            api.Check(api.SessionGetInputName(session, (nuint)i, allocator, &name));
            var text = api.TakeAllocatorString(allocator, name);
            IntPtr typeInfo;
            api.Check(api.SessionGetInputTypeInfo(session, (nuint)i, &typeInfo));
            _inputs[i] = Describe(api, text, typeInfo);
        }

        for (var i = 0; i < _outputs.Length; i++)
        {
            byte* name;
            api.Check(api.SessionGetOutputName(session, (nuint)i, allocator, &name));
            var text = api.TakeAllocatorString(allocator, name);
            IntPtr typeInfo;
            api.Check(api.SessionGetOutputTypeInfo(session, (nuint)i, &typeInfo));
            _outputs[i] = Describe(api, text, typeInfo);
        }

        _nameStorage = new byte[_inputs.Length + _outputs.Length][];
        _inputNames = CacheNames(_inputs, _nameStorage, 0);
        _outputNames = CacheNames(_outputs, _nameStorage, _inputs.Length);
        _inputIndex = IndexByName(_inputs);
        _outputIndex = IndexByName(_outputs);
    }

    /// <summary>The model file this session was opened from.</summary>
    public string ModelPath { get; }

    /// <summary>The execution provider that was appended first (CPU when none of the preferred ones could be).</summary>
    public OrtProvider Provider { get; }

    /// <summary>Graph inputs in model order.</summary>
    public IReadOnlyList<OrtNodeInfo> Inputs => _inputs;

    /// <summary>Graph outputs in model order.</summary>
    public IReadOnlyList<OrtNodeInfo> Outputs => _outputs;

    /// <summary>Position of input <paramref name="name"/> in <see cref="Inputs"/>, or -1 when the model has none.</summary>
    public int InputIndex(string name) => _inputIndex.TryGetValue(name, out var index) ? index : -1;

    /// <summary>Position of output <paramref name="name"/> in <see cref="Outputs"/>, or -1 when the model has none.</summary>
    public int OutputIndex(string name) => _outputIndex.TryGetValue(name, out var index) ? index : -1;

    public void Dispose() => _handle.Dispose();

    internal static OrtSession Open(
        OrtRuntime runtime, OrtEnvHandle env, string modelPath, OrtSessionSettings settings, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settings.IntraOpThreads);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.InterOpThreads);
        var api = runtime.Api;
        var envReferenced = false;
        try
        {
            // Holds the env while the session is built, even if the runtime is disposed meanwhile.
            env.DangerousAddRef(ref envReferenced);
            using var options = new OrtSessionOptionsHandle(api);
            IntPtr createdOptions;
            api.Check(api.CreateSessionOptions(&createdOptions));
            options.Attach(createdOptions);
            api.Check(api.SetSessionGraphOptimizationLevel(createdOptions, (int)settings.GraphOptimizationLevel));
            if (settings.IntraOpThreads > 0)
            {
                api.Check(api.SetIntraOpNumThreads(createdOptions, settings.IntraOpThreads));
            }

            if (settings.InterOpThreads > 0)
            {
                api.Check(api.SetInterOpNumThreads(createdOptions, settings.InterOpThreads));
            }

            if (!settings.AllowThreadSpinning)
            {
                // A camera runs four sessions back to back; pools that spin after each run starve the others.
                AddConfigEntry(api, createdOptions, "session.intra_op.allow_spinning", "0");
                AddConfigEntry(api, createdOptions, "session.inter_op.allow_spinning", "0");
            }

            var provider = runtime.Providers.Append(options, settings.Providers, logger);

            var memoryInfo = new OrtMemoryInfoHandle(api);
            IntPtr createdSession;
            try
            {
                IntPtr createdInfo;
                api.Check(api.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &createdInfo));
                memoryInfo.Attach(createdInfo);
                fixed (byte* path = Utf8.NullTerminated(modelPath))
                {
                    api.Check(api.CreateSession(env.DangerousGetHandle(), path, createdOptions, &createdSession));
                }
            }
            catch
            {
                memoryInfo.Dispose();
                throw;
            }

            var handle = new OrtSessionHandle(api, env, memoryInfo);
            handle.Attach(createdSession);
            try
            {
                var session = new OrtSession(api, handle, modelPath, provider);
                Log.SessionOpened(logger, modelPath, provider, session._inputs.Length, session._outputs.Length);
                return session;
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }
        finally
        {
            if (envReferenced)
            {
                env.DangerousRelease();
            }
        }
    }

    private static OrtNodeInfo Describe(OrtApi api, string name, IntPtr typeInfo)
    {
        using var owner = new OrtTypeInfoHandle(api);
        owner.Attach(typeInfo);
        int onnxType;
        api.Check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType));
        if (onnxType != OnnxTypeTensor)
        {
            return new OrtNodeInfo(name, OrtElementType.Undefined, [], []);
        }

        // Owned by the type info; released with it.
        IntPtr tensorInfo;
        api.Check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfo));
        int elementType;
        api.Check(api.GetTensorElementType(tensorInfo, &elementType));
        nuint rank;
        api.Check(api.GetDimensionsCount(tensorInfo, &rank));
        var shape = new long[(int)rank];
        var symbolic = new IntPtr[(int)rank];
        fixed (long* dims = shape)
        fixed (IntPtr* names = symbolic)
        {
            api.Check(api.GetDimensions(tensorInfo, dims, rank));
            api.Check(api.GetSymbolicDimensions(tensorInfo, (byte**)names, rank));
        }

        var symbolicNames = new string[symbolic.Length];
        for (var d = 0; d < symbolic.Length; d++)
        {
            symbolicNames[d] = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(symbolic[d]) ?? string.Empty;
        }

        return new OrtNodeInfo(name, (OrtElementType)elementType, shape, symbolicNames);
    }

    private static IntPtr[] CacheNames(OrtNodeInfo[] nodes, byte[][] storage, int offset)
    {
        var pointers = new IntPtr[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            var bytes = Utf8.Pinned(nodes[i].Name);
            storage[offset + i] = bytes;
            pointers[i] = Utf8.AddressOf(bytes);
        }

        return pointers;
    }

    private static Dictionary<string, int> IndexByName(OrtNodeInfo[] nodes)
    {
        var index = new Dictionary<string, int>(nodes.Length, StringComparer.Ordinal);
        for (var i = 0; i < nodes.Length; i++)
        {
            index[nodes[i].Name] = i;
        }

        return index;
    }

    private static void AddConfigEntry(OrtApi api, IntPtr options, string key, string value)
    {
        var keyBytes = Utf8.NullTerminated(key);
        var valueBytes = Utf8.NullTerminated(value);
        fixed (byte* k = keyBytes)
        fixed (byte* v = valueBytes)
        {
            api.Check(api.AddSessionConfigEntry(options, k, v));
        }
    }
}
