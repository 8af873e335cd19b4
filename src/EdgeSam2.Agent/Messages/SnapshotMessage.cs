using System.Globalization;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// What names a snapshot's frame: the JPEG's MQTT 5 user properties and the JSON companion on
/// <c>{base}/{cam}/snapshot/info</c> (snapshot.schema.json) carry the same camera, frame, capture time and size.
/// </summary>
internal sealed record SnapshotMessage(string Camera, long Frame, DateTimeOffset CaptureTime, int Width, int Height, int Bytes, bool Requested)
{
    public byte[] ToJson() => JsonWriting.Build(this, static (w, s) =>
    {
        w.WriteStartObject();
        w.WriteString("camera", s.Camera);
        w.WriteNumber("frame", s.Frame);
        JsonWriting.WriteTime(w, "capture_time", s.CaptureTime);
        w.WriteNumber("width", s.Width);
        w.WriteNumber("height", s.Height);
        w.WriteNumber("bytes", s.Bytes);
        w.WriteString("reason", s.Requested ? "request" : "periodic");
        w.WriteEndObject();
    });

    public IReadOnlyList<MqttUserProperty> UserProperties() =>
    [
        new("camera", Camera),
        new("frame", Frame.ToString(CultureInfo.InvariantCulture)),
        new("capture_time", CaptureTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        new("width", Width.ToString(CultureInfo.InvariantCulture)),
        new("height", Height.ToString(CultureInfo.InvariantCulture)),
    ];
}
