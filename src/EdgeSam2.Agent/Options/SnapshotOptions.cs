namespace EdgeSam2.Agent.Options;

/// <summary>JPEG snapshots on <c>{base}/{cam}/snapshot</c>: on request (<c>capture</c>) and, when set, at a period.</summary>
public sealed class SnapshotOptions
{
    /// <summary>Seconds between periodic snapshots of every streaming camera; 0 (default) takes them only on request.</summary>
    public double IntervalSeconds { get; set; }

    /// <summary>JPEG quality, 1–100. Default 80.</summary>
    public int JpegQuality { get; set; } = 80;

    /// <summary>Snapshot requests per camera waiting for the next frame; more are refused at once. Default 16.</summary>
    public int MaxWaiting { get; set; } = 16;
}
