namespace EdgeSam2.Bench.Report;

/// <summary>The few statistics the report needs.</summary>
internal static class Numbers
{
    /// <summary>Nearest-rank percentile (<paramref name="q"/> in 0…1) of <paramref name="values"/>; NaN when empty.</summary>
    public static double Percentile(IReadOnlyList<double> values, double q)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(q * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>Least-squares slope of y over x; NaN with fewer than two distinct x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return double.NaN;
        }

        double mx = 0, my = 0;
        foreach (var (x, y) in points)
        {
            (mx, my) = (mx + x, my + y);
        }

        (mx, my) = (mx / points.Count, my / points.Count);
        double sxy = 0, sxx = 0;
        foreach (var (x, y) in points)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
        }

        return sxx == 0 ? double.NaN : sxy / sxx;
    }

    /// <summary>Rounds for the report; NaN and infinities become null (JSON has no NaN).</summary>
    public static double? Round(double value, int digits = 2) => double.IsFinite(value) ? Math.Round(value, digits) : null;
}
