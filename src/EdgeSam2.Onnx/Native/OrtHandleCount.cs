namespace EdgeSam2.Onnx.Native;

/// <summary>Native ORT objects created and not yet released, across every runtime in the process.</summary>
internal static class OrtHandleCount
{
    private static long _live;

    public static long Live => Interlocked.Read(ref _live);

    public static void Created() => Interlocked.Increment(ref _live);

    public static void Released() => Interlocked.Decrement(ref _live);
}
