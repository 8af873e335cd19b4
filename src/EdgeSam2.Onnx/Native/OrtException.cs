namespace EdgeSam2.Onnx.Native;

/// <summary>A failure ONNX Runtime reported through an <c>OrtStatus</c>: its code and its message, verbatim.</summary>
public sealed class OrtException : Exception
{
    public OrtException(OrtErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>The <c>OrtErrorCode</c> of the status.</summary>
    public OrtErrorCode Code { get; }
}
