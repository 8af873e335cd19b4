namespace EdgeSam2.Onnx.Native;

/// <summary>One graph input or output as the model declares it.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="ElementType">Element type; <see cref="OrtElementType.Undefined"/> for non-tensor values.</param>
/// <param name="Shape">Declared dimensions, -1 where the size is decided per call. Shared: do not modify.</param>
/// <param name="SymbolicDimensions">Per dimension its symbolic name (e.g. "batch"), empty where it has none.</param>
public sealed record OrtNodeInfo(string Name, OrtElementType ElementType, long[] Shape, string[] SymbolicDimensions)
{
    /// <summary>The shape as "[-1,3]", for messages.</summary>
    public string ShapeText => OrtShape.Format(Shape);
}
