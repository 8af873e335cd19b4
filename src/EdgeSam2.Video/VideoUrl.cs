namespace EdgeSam2.Video;

/// <summary>What kind of input a URL names; it decides the decoder's input arguments.</summary>
internal enum VideoUrlKind
{
    File,
    Rtsp,
    V4l2,
    Network,
}

internal static class VideoUrl
{
    public static VideoUrlKind Classify(string url)
    {
        if (url.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            return VideoUrlKind.Rtsp;
        }

        if (url.StartsWith("/dev/video", StringComparison.Ordinal))
        {
            return VideoUrlKind.V4l2;
        }

        if (url.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return VideoUrlKind.File;
        }

        return url.Contains("://", StringComparison.Ordinal) ? VideoUrlKind.Network : VideoUrlKind.File;
    }
}

/// <summary>URLs as they may appear in logs and errors.</summary>
internal static class VideoUrlRedaction
{
    /// <summary>Hides the password of <c>scheme://user:password@host</c> so camera credentials never reach a log.</summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var authorityStart = scheme + 3;
        var authorityEnd = url.IndexOf('/', authorityStart);
        var authority = authorityEnd < 0 ? url.AsSpan(authorityStart) : url.AsSpan(authorityStart, authorityEnd - authorityStart);
        var at = authority.LastIndexOf('@');
        if (at < 0)
        {
            return url;
        }

        var colon = authority[..at].IndexOf(':');
        if (colon < 0)
        {
            return url;
        }

        return string.Concat(url.AsSpan(0, authorityStart + colon + 1), "***", url.AsSpan(authorityStart + at));
    }
}
