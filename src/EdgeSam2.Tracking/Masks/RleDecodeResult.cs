namespace EdgeSam2.Tracking.Masks;

/// <summary>Outcome of <see cref="CocoRle.Decode"/>: success, or why the counts string was rejected.</summary>
public readonly record struct RleDecodeResult(bool Success, string? Error)
{
    internal static RleDecodeResult Ok => new(true, null);

    internal static RleDecodeResult Fail(string error) => new(false, error);
}
