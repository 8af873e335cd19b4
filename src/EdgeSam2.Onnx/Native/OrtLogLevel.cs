namespace EdgeSam2.Onnx.Native;

/// <summary>ONNX Runtime's own log threshold (<c>OrtLoggingLevel</c>), value for value.</summary>
public enum OrtLogLevel
{
    Verbose = 0,
    Info = 1,
    Warning = 2,
    Error = 3,
    Fatal = 4,
}
