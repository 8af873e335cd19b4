using System.Buffers;

namespace EdgeSam2.Onnx.Native;

public sealed unsafe partial class OrtSession
{
    /// <summary>
    /// Runs the graph on caller-owned memory: ORT reads <paramref name="inputs"/> and writes each requested output
    /// straight into the buffer of its <paramref name="outputs"/> argument, whose shape must be the one the graph
    /// produces.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, a wrong element type, or a shape that does not match the
    /// buffer length or the model's declared shape; the message names the tensor.</exception>
    /// <exception cref="OrtException">ORT rejected the call.</exception>
    public void Run(ReadOnlySpan<OrtTensorArg> inputs, ReadOnlySpan<OrtTensorArg> outputs)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ThrowIfTooMany(inputs.Length, _inputs.Length, "inputs");
        ThrowIfTooMany(outputs.Length, _outputs.Length, "outputs");
        var total = inputs.Length + outputs.Length;
        Span<IntPtr> names = total <= StackTensorLimit ? stackalloc IntPtr[total] : new IntPtr[total];
        Span<IntPtr> values = total <= StackTensorLimit ? stackalloc IntPtr[total] : new IntPtr[total];
        values.Clear();
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(total);
        var referenced = false;
        try
        {
            _handle.DangerousAddRef(ref referenced);
            var memoryInfo = _handle.MemoryInfo;
            BindInputs(inputs, names, values, pins, memoryInfo);

            for (var j = 0; j < outputs.Length; j++)
            {
                var k = inputs.Length + j;
                var index = IndexOrThrow(_outputIndex, _outputs, outputs[j].Name, "output");
                names[k] = _outputNames[index];
                values[k] = CreateTensor(outputs[j], _outputs[index], "Output", memoryInfo, ref pins[k]);
            }

            fixed (IntPtr* n = names)
            fixed (IntPtr* v = values)
            {
                _api.Check(_api.Run(
                    _handle.DangerousGetHandle(), IntPtr.Zero,
                    n, v, (nuint)inputs.Length,
                    n + inputs.Length, (nuint)outputs.Length, v + inputs.Length));
            }
        }
        finally
        {
            ReleaseTensors(values, pins, total);
            if (referenced)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Runs the graph and lets ORT allocate the requested outputs, for when their shapes are not known in advance.
    /// The caller owns (and must dispose) the returned values, in the order of <paramref name="outputNames"/>.
    /// </summary>
    public OrtValue[] RunAllocated(ReadOnlySpan<OrtTensorArg> inputs, ReadOnlySpan<string> outputNames)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ThrowIfTooMany(inputs.Length, _inputs.Length, "inputs");
        ThrowIfTooMany(outputNames.Length, _outputs.Length, "outputs");
        var total = inputs.Length + outputNames.Length;
        Span<IntPtr> names = total <= StackTensorLimit ? stackalloc IntPtr[total] : new IntPtr[total];
        Span<IntPtr> values = total <= StackTensorLimit ? stackalloc IntPtr[total] : new IntPtr[total];
        values.Clear();
        var pins = ArrayPool<MemoryHandle>.Shared.Rent(inputs.Length);
        var referenced = false;
        try
        {
            _handle.DangerousAddRef(ref referenced);
            var memoryInfo = _handle.MemoryInfo;
            BindInputs(inputs, names, values, pins, memoryInfo);

            for (var j = 0; j < outputNames.Length; j++)
            {
                names[inputs.Length + j] = _outputNames[IndexOrThrow(_outputIndex, _outputs, outputNames[j], "output")];
            }

            fixed (IntPtr* n = names)
            fixed (IntPtr* v = values)
            {
                _api.Check(_api.Run(
                    _handle.DangerousGetHandle(), IntPtr.Zero,
                    n, v, (nuint)inputs.Length,
                    n + inputs.Length, (nuint)outputNames.Length, v + inputs.Length));
            }

            return TakeOutputs(values[inputs.Length..]);
        }
        finally
        {
            ReleaseTensors(values, pins, inputs.Length);
            if (referenced)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Wraps the values ORT allocated; on failure releases every one not yet wrapped.</summary>
    private OrtValue[] TakeOutputs(Span<IntPtr> allocated)
    {
        var result = new OrtValue[allocated.Length];
        var taken = 0;
        try
        {
            for (; taken < allocated.Length; taken++)
            {
                var handle = new OrtValueHandle(_api);
                handle.Attach(allocated[taken]);
                allocated[taken] = IntPtr.Zero;
                result[taken] = new OrtValue(_api, handle);
            }

            return result;
        }
        catch
        {
            for (var i = 0; i < taken; i++)
            {
                result[i].Dispose();
            }

            foreach (var left in allocated)
            {
                if (left != IntPtr.Zero)
                {
                    _api.ReleaseValue(left);
                }
            }

            throw;
        }
    }

    /// <summary>Releases the per-call tensors (the first <paramref name="count"/> values) and unpins their memory.</summary>
    private void ReleaseTensors(Span<IntPtr> values, MemoryHandle[] pins, int count)
    {
        for (var k = 0; k < count; k++)
        {
            if (values[k] != IntPtr.Zero)
            {
                _api.ReleaseValue(values[k]);
                OrtHandleCount.Released();
            }

            pins[k].Dispose();
            pins[k] = default;
        }

        ArrayPool<MemoryHandle>.Shared.Return(pins);
    }

    /// <summary>Validates one argument against the model and wraps its pinned memory in a tensor.</summary>
    /// <summary>Puts each input's name and a tensor over its pinned buffer into the call's arrays.</summary>
    private void BindInputs(ReadOnlySpan<OrtTensorArg> inputs, Span<IntPtr> names, Span<IntPtr> values, MemoryHandle[] pins, IntPtr memoryInfo)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            var index = IndexOrThrow(_inputIndex, _inputs, inputs[i].Name, "input");
            names[i] = _inputNames[index];
            values[i] = CreateTensor(inputs[i], _inputs[index], "Input", memoryInfo, ref pins[i]);
        }
    }

    private IntPtr CreateTensor(in OrtTensorArg arg, OrtNodeInfo node, string role, IntPtr memoryInfo, ref MemoryHandle pin)
    {
        if (arg.ElementType != node.ElementType)
        {
            throw new ArgumentException(
                $"{role} '{arg.Name}' is {node.ElementType} in the model, but the argument holds {arg.ElementType} elements.");
        }

        var expected = OrtShape.ElementCount(arg.Shape);
        if (expected < 0)
        {
            throw new ArgumentException(
                $"{role} '{arg.Name}': shape {OrtShape.Format(arg.Shape)} has an unknown (negative) dimension; a call needs every size.");
        }

        if (expected != arg.Length)
        {
            throw new ArgumentException(
                $"{role} '{arg.Name}': shape {OrtShape.Format(arg.Shape)} needs {expected} elements, but the buffer holds {arg.Length}.");
        }

        if (!OrtShape.Fits(arg.Shape, node.Shape))
        {
            throw new ArgumentException(
                $"{role} '{arg.Name}': shape {OrtShape.Format(arg.Shape)} does not fit the model's {node.ShapeText}.");
        }

        pin = arg.Pin(out var byteLength);

        // An empty tensor has no buffer; ORT still wants a non-null data pointer.
        long empty;
        var data = pin.Pointer != null ? pin.Pointer : &empty;
        IntPtr value;
        fixed (long* shape = arg.Shape)
        {
            _api.Check(_api.CreateTensorWithDataAsOrtValue(
                memoryInfo, data, byteLength, shape, (nuint)arg.Shape.Length, (int)arg.ElementType, &value));
        }

        OrtHandleCount.Created();
        return value;
    }

    private static int IndexOrThrow(Dictionary<string, int> index, OrtNodeInfo[] nodes, string name, string role)
    {
        if (index.TryGetValue(name, out var position))
        {
            return position;
        }

        var known = new string[nodes.Length];
        for (var i = 0; i < nodes.Length; i++)
        {
            known[i] = nodes[i].Name;
        }

        throw new ArgumentException($"The model has no {role} named '{name}'; its {role}s are: {string.Join(", ", known)}.");
    }

    private static void ThrowIfTooMany(int given, int declared, string role)
    {
        if (given > declared)
        {
            throw new ArgumentException($"{given} {role} given, but the model declares only {declared}.");
        }
    }
}
