namespace EdgeSam2.Onnx.Runtime;

/// <summary>The ONNX Runtime library cannot be used (missing, not ORT, or older than the managed API).</summary>
public sealed class OrtRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OrtRuntimeException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public OrtRuntimeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public OrtRuntimeException()
    {
    }
}
