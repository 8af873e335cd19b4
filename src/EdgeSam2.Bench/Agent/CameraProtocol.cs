namespace EdgeSam2.Bench.Agent;

/// <summary>How the bench's camera (<see cref="CameraFeed"/>) serves its H.264.</summary>
internal enum CameraProtocol
{
    /// <summary>The Annex B byte stream as it is, over plain TCP (<c>tcp://</c>, read with <c>InputFormat</c> <c>h264</c>).</summary>
    RawH264,

    /// <summary>RTSP with RTP interleaved on the TCP connection (<c>rtsp://</c>), the access unit's end marked in its last packet.</summary>
    Rtsp,
}
