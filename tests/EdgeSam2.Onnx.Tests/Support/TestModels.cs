namespace EdgeSam2.Onnx.Tests.Support;

/// <summary>The graphs Models/make_models.py generates, as copied next to the test assembly.</summary>
internal static class TestModels
{
    /// <summary>x float[batch,3] -> y = x * 2 + 1.</summary>
    public static string Affine => Path("affine.onnx");

    /// <summary>a, b float[2,3] -> sum = a + b, product = a * b.</summary>
    public static string TwoIo => Path("two_io.onnx");

    /// <summary>ids64 int64[n], ids32 int32[m] -> ids64_plus_one, ids32_times_three.</summary>
    public static string IntOps => Path("int_ops.onnx");

    /// <summary>x float[n], factor float[] -> y = x * factor.</summary>
    public static string Scale => Path("scale.onnx");

    /// <summary>x float[n] -> y = relu(x), y declared without any shape.</summary>
    public static string Unshaped => Path("unshaped.onnx");

    private static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Models", name);
}
