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
    /// <summary>
    /// Hides the password of <c>scheme://user:password@host</c> so camera credentials never reach a log. The password
    /// runs from the first ':' after the user name to the last '@' in the URL, so one typed with a raw '/' or '@' is
    /// hidden whole too (a URL whose path holds an '@' loses a little more than its password, never less).
    /// </summary>
    public static string Redact(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return url;
        }

        var authorityStart = scheme + 3;
        var at = url.LastIndexOf('@');
        if (at < authorityStart)
        {
            return url;
        }

        var colon = url.AsSpan(authorityStart, at - authorityStart).IndexOf(':');
        if (colon < 0)
        {
            return url;
        }

        return string.Concat(url.AsSpan(0, authorityStart + colon + 1), "***", url.AsSpan(at));
    }
}
