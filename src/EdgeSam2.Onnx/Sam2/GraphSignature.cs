using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace EdgeSam2.Onnx.Sam2;

/// <summary>One input or output of a graph: name, element type and shape (−1 for a symbolic axis).</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="ElementType">Element type; non-tensors read as <see cref="TensorElementType.DataTypeMax"/>.</param>
/// <param name="Shape">Dimensions, −1 where the graph leaves the axis symbolic.</param>
internal sealed record GraphTensor(string Name, TensorElementType ElementType, long[] Shape)
{
    /// <summary>"[1x3x512x512]" with "?" for symbolic axes.</summary>
    public static string Format(long[] shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            parts[i] = shape[i] < 0 ? "?" : shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return "[" + string.Join('x', parts) + "]";
    }

    /// <summary>ONNX's name of an element type (float32, int64, …).</summary>
    public static string TypeName(TensorElementType type) => type switch
    {
        TensorElementType.Float => "float32",
        TensorElementType.Float16 => "float16",
        TensorElementType.Double => "float64",
        TensorElementType.Int64 => "int64",
        TensorElementType.Int32 => "int32",
        TensorElementType.UInt8 => "uint8",
        TensorElementType.Bool => "bool",
        TensorElementType.DataTypeMax => "a non-tensor",
        _ => type.ToString().ToLowerInvariant(),
    };
}

/// <summary>The inputs and outputs of one opened graph, read once from its session.</summary>
internal sealed record GraphSignature(string Path, IReadOnlyList<GraphTensor> Inputs, IReadOnlyList<GraphTensor> Outputs)
{
    public static GraphSignature Of(string path, InferenceSession session) =>
        new(path, Read(session.InputMetadata), Read(session.OutputMetadata));

    private static List<GraphTensor> Read(IReadOnlyDictionary<string, NodeMetadata> nodes)
    {
        var list = new List<GraphTensor>(nodes.Count);
        foreach (var (name, meta) in nodes)
        {
            var dims = meta.IsTensor ? meta.Dimensions : [];
            var shape = new long[dims.Length];
            for (var i = 0; i < dims.Length; i++)
            {
                shape[i] = dims[i];
            }

            list.Add(new GraphTensor(name, meta.IsTensor ? meta.ElementDataType : TensorElementType.DataTypeMax, shape));
        }

        return list;
    }
}
