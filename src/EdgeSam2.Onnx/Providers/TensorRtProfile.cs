namespace EdgeSam2.Onnx.Providers;

/// <summary>
/// One TensorRT optimisation profile in ORT's text form (<c>name:d0xd1x…,name:…</c>) for the minimum, optimal and
/// maximum shapes. With a profile that spans every dynamic axis, TensorRT builds one engine that serves any object
/// count or memory length in range; without one it rebuilds the engine mid-stream whenever a shape changes.
/// </summary>
/// <param name="Min">trt_profile_min_shapes.</param>
/// <param name="Opt">trt_profile_opt_shapes.</param>
/// <param name="Max">trt_profile_max_shapes.</param>
public sealed record TensorRtProfile(string Min, string Opt, string Max)
{
    /// <summary>Builds a profile from per-input (min, opt, max) shapes; inputs in the given order.</summary>
    public static TensorRtProfile From(IReadOnlyList<(string Name, long[] Min, long[] Opt, long[] Max)> inputs)
    {
        var min = new List<string>(inputs.Count);
        var opt = new List<string>(inputs.Count);
        var max = new List<string>(inputs.Count);
        foreach (var (name, lo, mid, hi) in inputs)
        {
            min.Add(Entry(name, lo));
            opt.Add(Entry(name, mid));
            max.Add(Entry(name, hi));
        }

        return new TensorRtProfile(string.Join(',', min), string.Join(',', opt), string.Join(',', max));
    }

    private static string Entry(string name, long[] shape) => name + ":" + string.Join('x', shape);
}
