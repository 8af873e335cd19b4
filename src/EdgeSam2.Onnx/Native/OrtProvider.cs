namespace EdgeSam2.Onnx.Native;

/// <summary>The execution providers this binding knows how to append.</summary>
public enum OrtProvider
{
    Cpu,
    Cuda,
    TensorRt,
}
