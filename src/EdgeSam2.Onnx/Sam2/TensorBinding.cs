using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>
/// Runs one graph over the caller's buffers through an <see cref="OrtIoBinding"/>, with no per-call allocation in
/// the steady state: an <see cref="OrtValue"/> over a buffer is made once per (buffer, shape) and cached, and a name
/// is rebound only when its value changes. A tracker's shapes change with the object and memory counts, so each
/// name keeps a few values (least recently used replaced), enough for the shapes a frame alternates between.
/// </summary>
/// <remarks>Not thread-safe: one per camera and lane. The session it runs is shared and thread-safe.</remarks>
internal sealed class TensorBinding : IDisposable
{
    private const int ValuesPerName = 6;

    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly Slot[] _slots;
    private long _clock;

    public TensorBinding(InferenceSession session, string[] inputs, string[] outputs)
    {
        _session = session;
        _binding = session.CreateIoBinding();
        _slots = new Slot[inputs.Length + outputs.Length];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = i < inputs.Length ? new Slot(inputs[i], isInput: true) : new Slot(outputs[i - inputs.Length], isInput: false);
        }

        InputCount = inputs.Length;
    }

    /// <summary>Inputs come first in slot order, then outputs.</summary>
    public int InputCount { get; }

    /// <summary>OrtValues created so far (cache misses): flat once a stream's shapes have all been seen.</summary>
    public long ValuesCreated { get; private set; }

    /// <summary>Binds <paramref name="memory"/> with <paramref name="shape"/> to slot <paramref name="slot"/>.</summary>
    public void Bind(int slot, Memory<float> memory, long[] shape)
    {
        var s = _slots[slot];
        var value = Find(s, memory, shape) ?? Add(s, memory, shape);
        if (!ReferenceEquals(s.Bound, value))
        {
            if (s.IsInput)
            {
                _binding.BindInput(s.Name, value);
            }
            else
            {
                _binding.BindOutput(s.Name, value);
            }

            s.Bound = value;
        }
    }

    /// <summary>
    /// Binds a value the caller owns (the preparation graph's output, device memory on a GPU) to input slot
    /// <paramref name="slot"/>; it must outlive its binding here.
    /// </summary>
    public void BindInputValue(int slot, OrtValue value)
    {
        var s = _slots[slot];
        if (!ReferenceEquals(s.Bound, value))
        {
            _binding.BindInput(s.Name, value);
            s.Bound = value;
        }
    }

    /// <summary>Runs the graph with what is bound; outputs land in the bound buffers.</summary>
    public void Run() => _session.RunWithBinding(_runOptions, _binding);

    public void Dispose()
    {
        _binding.Dispose();
        _runOptions.Dispose();
        foreach (var slot in _slots)
        {
            foreach (var entry in slot.Entries)
            {
                entry?.Value.Dispose();
            }
        }
    }

    private OrtValue? Find(Slot slot, Memory<float> memory, long[] shape)
    {
        if (!MemoryMarshal.TryGetArray<float>(memory, out var segment))
        {
            throw new ArgumentException("tensor buffers must be array-backed", nameof(memory));
        }

        foreach (var entry in slot.Entries)
        {
            if (entry is not null && ReferenceEquals(entry.Array, segment.Array) && entry.Offset == segment.Offset
                && entry.Length == segment.Count && entry.Shape.AsSpan().SequenceEqual(shape))
            {
                entry.LastUse = ++_clock;
                return entry.Value;
            }
        }

        return null;
    }

    private OrtValue Add(Slot slot, Memory<float> memory, long[] shape)
    {
        MemoryMarshal.TryGetArray<float>(memory, out var segment);
        var victim = 0;
        for (var i = 0; i < slot.Entries.Length; i++)
        {
            if (slot.Entries[i] is null)
            {
                victim = i;
                break;
            }

            if (slot.Entries[i]!.LastUse < slot.Entries[victim]!.LastUse)
            {
                victim = i;
            }
        }

        if (slot.Entries[victim] is { } old)
        {
            if (ReferenceEquals(slot.Bound, old.Value))
            {
                slot.Bound = null;
            }

            old.Value.Dispose();
        }

        var copy = (long[])shape.Clone();
        var value = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, memory, copy);
        slot.Entries[victim] = new Entry(segment.Array!, segment.Offset, segment.Count, copy, value) { LastUse = ++_clock };
        ValuesCreated++;
        return value;
    }

    private sealed class Slot(string name, bool isInput)
    {
        public string Name { get; } = name;

        public bool IsInput { get; } = isInput;

        public Entry?[] Entries { get; } = new Entry?[ValuesPerName];

        public OrtValue? Bound { get; set; }
    }

    private sealed record Entry(float[] Array, int Offset, int Length, long[] Shape, OrtValue Value)
    {
        public long LastUse { get; set; }
    }
}
