using EdgeSam2.Onnx.Providers;
using EdgeSam2.Tracking.Imaging;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeSam2.Onnx.Preparation;

/// <summary>
/// One camera's runs of the shared preparation graph: a packed RGB24 frame in, the encoder's [1,3,S,S] input out,
/// in an <see cref="OrtValue"/> that the encoder binds as is. On CUDA/TensorRT that value is device memory, so the
/// frame crosses to the GPU as bytes and the float image never comes back to the host.
/// </summary>
/// <remarks>
/// No allocation per frame: the frame is copied into a pinned staging buffer made per frame size (the graph's
/// input must be an <see cref="OrtValue"/>, which a span cannot back), and the taps (BilinearTaps, the kernel's
/// own) are recomputed in place only when the frame size changes. Not thread-safe: one per camera.
/// </remarks>
internal sealed class GraphFramePreparer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly int _size;
    private readonly long[] _xIndex;
    private readonly float[] _xWeight;
    private readonly long[] _yIndex;
    private readonly float[] _yWeight;
    private readonly int[] _first;
    private readonly int[] _second;
    private readonly float[] _weight;
    private readonly OrtValue[] _taps;
    private readonly OrtAllocator? _deviceAllocator;
    private byte[] _rgb = [];
    private OrtValue? _rgbValue;
    private int _width;
    private int _height;
    private long _runs;

    public GraphFramePreparer(InferenceSession session, ExecutionProvider provider, int deviceId, int size)
    {
        _session = session;
        _size = size;
        _binding = session.CreateIoBinding();
        (_xIndex, _yIndex) = (new long[2 * size], new long[2 * size]);
        (_xWeight, _yWeight) = (new float[2 * size * 3], new float[2 * size]);
        (_first, _second, _weight) = (new int[size], new int[size], new float[size]);
        _taps =
        [
            OrtValue.CreateTensorValueFromMemory(_xIndex, [2, size]),
            OrtValue.CreateTensorValueFromMemory(_xWeight, [2, size, 3]),
            OrtValue.CreateTensorValueFromMemory(_yIndex, [2, size]),
            OrtValue.CreateTensorValueFromMemory(_yWeight, [2, size, 1, 1]),
        ];
        _binding.BindInput("x_index", _taps[0]);
        _binding.BindInput("x_weight", _taps[1]);
        _binding.BindInput("y_index", _taps[2]);
        _binding.BindInput("y_weight", _taps[3]);

        long[] shape = [1, 3, size, size];
        if (provider == ExecutionProvider.Cpu)
        {
            Image = OrtValue.CreateTensorValueFromMemory(new float[3 * size * size], shape);
        }
        else
        {
            // Device memory from the preparation session's CUDA allocator: the encoder's session (CUDA or TensorRT on
            // the same device) reads it in place. Not run here: this machine has no GPU (README, GPU check).
            using var cuda = new OrtMemoryInfo("Cuda", OrtAllocatorType.DeviceAllocator, deviceId, OrtMemType.Default);
            _deviceAllocator = new OrtAllocator(session, cuda);
            Image = OrtValue.CreateAllocatedTensorValue(_deviceAllocator, TensorElementType.Float, shape);
        }

        _binding.BindOutput("image", Image);
    }

    /// <summary>The prepared [1,3,S,S] image: valid after <see cref="Run"/> until the next one.</summary>
    public OrtValue Image { get; }

    /// <summary>Frames prepared so far (read from other threads for statistics).</summary>
    public long Runs => Interlocked.Read(ref _runs);

    /// <summary>Prepares a <paramref name="width"/>×<paramref name="height"/> RGB24 frame into <see cref="Image"/>.</summary>
    public void Run(ReadOnlySpan<byte> rgb24, int width, int height)
    {
        if (width != _width || height != _height)
        {
            Resize(width, height);
        }

        rgb24[..(width * height * 3)].CopyTo(_rgb);
        // ORT synchronises the provider's stream at the end of a run, so on CUDA the image is complete for the encoder.
        _session.RunWithBinding(_runOptions, _binding);
        Interlocked.Increment(ref _runs);
    }

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        _rgbValue?.Dispose();
        foreach (var tap in _taps)
        {
            tap.Dispose();
        }

        Image.Dispose();
        _deviceAllocator?.Dispose();
    }

    /// <summary>A new frame size: a staging buffer for it, and the taps recomputed in the bound buffers.</summary>
    private void Resize(int width, int height)
    {
        _rgbValue?.Dispose();
        _rgb = new byte[width * height * 3];
        _rgbValue = OrtValue.CreateTensorValueFromMemory(_rgb, [height, width, 3]);
        _binding.BindInput("rgb", _rgbValue);

        var scale = FrameNormalizer.InputScale;
        BilinearTaps.Compute(width, _size, _first, _second, _weight);
        for (var x = 0; x < _size; x++)
        {
            (_xIndex[x], _xIndex[_size + x]) = (_first[x], _second[x]);
            for (var c = 0; c < 3; c++)
            {
                // The channel's 1/(255·std) rides on the column weights; the graph adds −mean/std last.
                _xWeight[(x * 3) + c] = (1f - _weight[x]) * scale[c];
                _xWeight[((_size + x) * 3) + c] = _weight[x] * scale[c];
            }
        }

        BilinearTaps.Compute(height, _size, _first, _second, _weight);
        for (var y = 0; y < _size; y++)
        {
            (_yIndex[y], _yIndex[_size + y]) = (_first[y], _second[y]);
            (_yWeight[y], _yWeight[_size + y]) = (1f - _weight[y], _weight[y]);
        }

        (_width, _height) = (width, height);
    }
}
