namespace EdgeSam2.Onnx.Runtime;

/// <summary>ORT's error messages, trimmed for one log line or one start-up error.</summary>
internal static class OrtMessages
{
    /// <summary>The first line: ORT appends stack-like detail after it on some failures.</summary>
    public static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }
}
