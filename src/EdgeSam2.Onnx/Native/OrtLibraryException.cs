namespace EdgeSam2.Onnx.Native;

/// <summary>The configured ONNX Runtime library is missing, cannot be loaded, or is not a usable ONNX Runtime.</summary>
public sealed class OrtLibraryException : Exception
{
    public OrtLibraryException(string libraryPath, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        LibraryPath = libraryPath;
    }

    /// <summary>The path that was configured.</summary>
    public string LibraryPath { get; }
}
