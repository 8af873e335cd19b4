namespace EdgeSam2.Onnx.Preparation;

/// <summary>Where a frame is squash-resized to S×S and normalised before the image encoder (option <c>Model:FramePreparation</c>).</summary>
public enum FramePreparation
{
    /// <summary>
    /// The graph when the image encoder runs on CUDA or TensorRT (one byte per pixel crosses to the GPU instead of
    /// four floats), the kernel when it runs on the CPU, where the kernel is faster (tests/EdgeSam2.Benchmarks/README.md).
    /// </summary>
    Auto,

    /// <summary>The host's vectorised kernel (<c>FrameNormalizer</c>), then the float image goes to the encoder.</summary>
    Kernel,

    /// <summary>The preparation graph (models/prep) on the encoder's provider, its output bound straight to the encoder.</summary>
    Graph,
}
