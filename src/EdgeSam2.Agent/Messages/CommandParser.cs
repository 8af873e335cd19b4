using System.Globalization;
using System.Text.Json;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// Parses the JSON of <c>prompt</c>, <c>remove</c> and <c>set</c> messages. Pure and total: every malformed payload
/// becomes a <see cref="CommandError"/> naming the field, never an exception. Unknown fields are ignored, so newer
/// consoles can talk to older agents (Messages/README.md).
/// </summary>
internal static class CommandParser
{
    /// <summary>Longest label accepted, in characters.</summary>
    public const int MaxLabelLength = 200;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 8 };

    public static ParseResult<PromptRequest> ParsePrompt(ReadOnlyMemory<byte> payload, int maxPoints)
    {
        if (!TryOpen(payload, out var document, out var requestId, out var error))
        {
            return ParseResult<PromptRequest>.Fail(requestId, error.Field, error.Message);
        }

        using (document)
        {
            var root = document!.RootElement;
            var result = ReadPrompt(root, requestId, maxPoints, out var prompt);
            return result is { } e ? ParseResult<PromptRequest>.Fail(requestId, e.Field, e.Message) : ParseResult<PromptRequest>.Ok(prompt!);
        }
    }

    public static ParseResult<RemoveRequest> ParseRemove(ReadOnlyMemory<byte> payload)
    {
        if (!TryOpen(payload, out var document, out var requestId, out var error))
        {
            return ParseResult<RemoveRequest>.Fail(requestId, error.Field, error.Message);
        }

        using (document)
        {
            var root = document!.RootElement;
            if (!root.TryGetProperty("object_id", out var id))
            {
                return ParseResult<RemoveRequest>.Fail(requestId, "object_id", "remove needs object_id: an object id or \"all\"");
            }

            int? objectId;
            if (id.ValueKind == JsonValueKind.String && id.ValueEquals("all"))
            {
                objectId = null;
            }
            else if (ReadObjectId(id) is { } parsed)
            {
                objectId = parsed;
            }
            else
            {
                return ParseResult<RemoveRequest>.Fail(requestId, "object_id", $"object_id must be a positive integer or \"all\", got {Show(id)}");
            }

            if (ReadFrameSelector(root, out var at) is { } e)
            {
                return ParseResult<RemoveRequest>.Fail(requestId, e.Field, e.Message);
            }

            return ParseResult<RemoveRequest>.Ok(new RemoveRequest(requestId, objectId, at));
        }
    }

    public static ParseResult<SetRequest> ParseSet(ReadOnlyMemory<byte> payload)
    {
        if (!TryOpen(payload, out var document, out var requestId, out var error))
        {
            return ParseResult<SetRequest>.Fail(requestId, error.Field, error.Message);
        }

        using (document)
        {
            if (!document!.RootElement.TryGetProperty("enabled", out var enabled))
            {
                return ParseResult<SetRequest>.Fail(requestId, "enabled", "set needs enabled: true or false");
            }

            if (enabled.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return ParseResult<SetRequest>.Fail(requestId, "enabled", $"enabled must be true or false, got {Show(enabled)}");
            }

            return ParseResult<SetRequest>.Ok(new SetRequest(requestId, enabled.GetBoolean()));
        }
    }

    /// <summary>The request id of any payload, for the reply to a message that is otherwise unusable.</summary>
    public static string? PeekRequestId(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload, DocumentOptions);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("request_id", out var id)
                ? ReadRequestId(id, out var value) ? value : null
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static CommandError? ReadPrompt(JsonElement root, string? requestId, int maxPoints, out PromptRequest? prompt)
    {
        prompt = null;
        int? objectId = null;
        if (root.TryGetProperty("object_id", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            objectId = ReadObjectId(id);
            if (objectId is null)
            {
                return new CommandError("object_id", $"object_id must be a positive integer, got {Show(id)}");
            }
        }

        string? label = null;
        if (root.TryGetProperty("label", out var labelElement) && labelElement.ValueKind != JsonValueKind.Null)
        {
            if (labelElement.ValueKind != JsonValueKind.String)
            {
                return new CommandError("label", $"label must be a string, got {Show(labelElement)}");
            }

            label = labelElement.GetString();
            if (label!.Length > MaxLabelLength)
            {
                return new CommandError("label", $"label has {label.Length} characters; at most {MaxLabelLength} are accepted");
            }
        }

        var normalized = false;
        if (ReadBool(root, "normalized", ref normalized) is { } normalizedError)
        {
            return normalizedError;
        }

        var refine = false;
        if (ReadBool(root, "refine", ref refine) is { } refineError)
        {
            return refineError;
        }

        if (refine && objectId is null)
        {
            return new CommandError("object_id", "refine needs the object_id of the object to refine");
        }

        var points = new List<PromptPoint>();
        var hasPoints = root.TryGetProperty("points", out var pointsElement) && pointsElement.ValueKind != JsonValueKind.Null;
        if (hasPoints && ReadPoints(pointsElement, normalized, maxPoints, points) is { } pointsError)
        {
            return pointsError;
        }

        PromptBox? box = null;
        if (root.TryGetProperty("box", out var boxElement) && boxElement.ValueKind != JsonValueKind.Null)
        {
            if (ReadBox(boxElement, normalized, out var parsedBox) is { } boxError)
            {
                return boxError;
            }

            box = parsedBox;
        }

        if (points.Count == 0 && box is null)
        {
            return new CommandError("points", "a prompt needs points or a box");
        }

        if (ReadFrameSelector(root, out var at) is { } atError)
        {
            return atError;
        }

        prompt = new PromptRequest(requestId, objectId, label, points, box, normalized, refine, at);
        return null;
    }

    private static CommandError? ReadPoints(JsonElement element, bool normalized, int maxPoints, List<PromptPoint> points)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            return new CommandError("points", $"points must be a list of [x, y, label], got {Show(element)}");
        }

        var count = element.GetArrayLength();
        if (count > maxPoints)
        {
            return new CommandError("points", $"{count} points given; at most {maxPoints} are accepted");
        }

        var i = 0;
        foreach (var point in element.EnumerateArray())
        {
            var field = $"points[{i}]";
            var length = point.ValueKind == JsonValueKind.Array ? point.GetArrayLength() : -1;
            if (length is not (2 or 3))
            {
                return new CommandError(field, $"a point is [x, y, label] (label 1 on the object, 0 not on it), got {Show(point)}");
            }

            if (!TryNumber(point[0], out var x) || !TryNumber(point[1], out var y))
            {
                return new CommandError(field, $"point coordinates must be finite numbers, got {Show(point)}");
            }

            var positive = true;
            if (length == 3)
            {
                if (!TryNumber(point[2], out var label) || label is not (0 or 1))
                {
                    return new CommandError(field, $"a point's label must be 1 (on the object) or 0 (not on it), got {Show(point[2])}");
                }

                positive = label == 1;
            }

            if (normalized && !(x is >= 0 and <= 1 && y is >= 0 and <= 1))
            {
                return new CommandError(field, $"normalized point ({Num(x)}, {Num(y)}) lies outside 0..1");
            }

            points.Add(new PromptPoint((float)x, (float)y, positive));
            i++;
        }

        return null;
    }

    private static CommandError? ReadBox(JsonElement element, bool normalized, out PromptBox box)
    {
        box = default;
        Span<double> v = stackalloc double[4];
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != 4)
        {
            return new CommandError("box", $"box must be [x1, y1, x2, y2], got {Show(element)}");
        }

        for (var i = 0; i < 4; i++)
        {
            if (!TryNumber(element[i], out v[i]))
            {
                return new CommandError("box", $"box coordinates must be finite numbers, got {Show(element)}");
            }

            if (normalized && v[i] is < 0 or > 1)
            {
                return new CommandError("box", $"normalized box [{Num(v[0])}, {Num(v[1])}, {Num(v[2])}, {Num(v[3])}] lies outside 0..1");
            }
        }

        box = new PromptBox((float)v[0], (float)v[1], (float)v[2], (float)v[3]);
        return null;
    }

    private static CommandError? ReadFrameSelector(JsonElement root, out FrameSelector at)
    {
        at = default;
        long? frame = null;
        DateTimeOffset? time = null;
        if (root.TryGetProperty("frame", out var frameElement) && frameElement.ValueKind != JsonValueKind.Null)
        {
            if (frameElement.ValueKind != JsonValueKind.Number || !frameElement.TryGetInt64(out var f) || f < 0)
            {
                return new CommandError("frame", $"frame must be a frame sequence number (an integer ≥ 0), got {Show(frameElement)}");
            }

            frame = f;
        }

        if (root.TryGetProperty("capture_time", out var timeElement) && timeElement.ValueKind != JsonValueKind.Null)
        {
            if (timeElement.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(timeElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            {
                return new CommandError("capture_time", $"capture_time must be an ISO 8601 time such as \"2026-11-22T03:00:01.200Z\", got {Show(timeElement)}");
            }

            time = t;
        }

        if (frame is not null && time is not null)
        {
            return new CommandError("capture_time", "name the frame by frame or by capture_time, not both");
        }

        at = new FrameSelector(frame, time);
        return null;
    }

    private static CommandError? ReadBool(JsonElement root, string name, ref bool value)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return new CommandError(name, $"{name} must be true or false, got {Show(element)}");
        }

        value = element.GetBoolean();
        return null;
    }

    private static bool TryOpen(ReadOnlyMemory<byte> payload, out JsonDocument? document, out string? requestId, out CommandError error)
    {
        requestId = null;
        error = default;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException e)
        {
            document = null;
            error = new CommandError("$", $"malformed JSON: {e.Message}");
            return false;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = new CommandError("$", $"the payload must be a JSON object, got {Show(root)}");
            document.Dispose();
            document = null;
            return false;
        }

        if (root.TryGetProperty("request_id", out var id) && id.ValueKind != JsonValueKind.Null && !ReadRequestId(id, out requestId))
        {
            error = new CommandError("request_id", $"request_id must be a string, got {Show(id)}");
            document.Dispose();
            document = null;
            return false;
        }

        return true;
    }

    private static bool ReadRequestId(JsonElement element, out string? value)
    {
        value = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetRawText(),
            _ => null,
        };
        return value is not null && value.Length <= MaxLabelLength;
    }

    private static int? ReadObjectId(JsonElement element) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var id) && id > 0 ? id : null;

    private static bool TryNumber(JsonElement element, out double value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A short rendering of a bad value for an error message (never the whole payload).</summary>
    private static string Show(JsonElement element)
    {
        var text = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Null => "null",
            _ => element.GetRawText(),
        };
        return text.Length > 60 ? string.Concat(text.AsSpan(0, 57), "...") : text;
    }
}
