using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSam2.Tracking.Tracker;

namespace EdgeSam2.Agent.Messages;

/// <summary>
/// Parses the JSON of <c>prompt</c>, <c>remove</c>, <c>reset</c> and <c>set</c> messages. Pure and total: every
/// payload becomes a request or a <see cref="CommandError"/> naming the field, never an exception. The limits come
/// first: the payload's length, then its nesting (<see cref="JsonPrescan"/>), and the point list is counted while it
/// streams through the reader, so no payload is ever held as a document or a list longer than the limit. Unknown
/// fields are ignored, so newer consoles can talk to older agents (Messages/README.md).
/// </summary>
internal static class CommandParser
{
    public static ParseResult<PromptRequest> ParsePrompt(ReadOnlyMemory<byte> payload, CommandLimits limits)
    {
        var fields = new CommandFields { AllowAll = false };
        PromptRequest? prompt = null;
        var error = Read(payload.Span, limits, Verb.Prompt, fields) ?? BuildPrompt(fields, out prompt);
        return error is { } e ? Fail<PromptRequest>(payload.Span, limits, fields, e) : ParseResult<PromptRequest>.Ok(prompt!);
    }

    public static ParseResult<RemoveRequest> ParseRemove(ReadOnlyMemory<byte> payload, CommandLimits limits)
    {
        var fields = new CommandFields();
        var error = Read(payload.Span, limits, Verb.Remove, fields);
        if (error is null && !fields.Seen.HasFlag(Field.ObjectId))
        {
            error = new CommandError("object_id", "remove needs object_id: an object id or \"all\"");
        }

        error ??= CheckFrameSelector(fields);
        return error is { } e
            ? Fail<RemoveRequest>(payload.Span, limits, fields, e)
            : ParseResult<RemoveRequest>.Ok(new RemoveRequest(fields.RequestId, fields.AllObjects ? null : fields.ObjectId, new FrameSelector(fields.Frame, fields.CaptureTime)));
    }

    /// <summary>A reset: the payload may be empty, or a JSON object whose only field read is <c>request_id</c>.</summary>
    public static ParseResult<ResetRequest> ParseReset(ReadOnlyMemory<byte> payload, CommandLimits limits)
    {
        var fields = new CommandFields();
        return Read(payload.Span, limits, Verb.Reset, fields) is { } e
            ? Fail<ResetRequest>(payload.Span, limits, fields, e)
            : ParseResult<ResetRequest>.Ok(new ResetRequest(fields.RequestId));
    }

    public static ParseResult<SetRequest> ParseSet(ReadOnlyMemory<byte> payload, CommandLimits limits)
    {
        var fields = new CommandFields();
        var error = Read(payload.Span, limits, Verb.Set, fields);
        if (error is null && fields.Enabled is null)
        {
            error = new CommandError("enabled", "set needs enabled: true or false");
        }

        return error is { } e
            ? Fail<SetRequest>(payload.Span, limits, fields, e)
            : ParseResult<SetRequest>.Ok(new SetRequest(fields.RequestId, fields.Enabled!.Value));
    }

    /// <summary>The request id of any payload, for the reply to a message that is otherwise unusable (an unknown camera).</summary>
    public static string? PeekRequestId(ReadOnlyMemory<byte> payload, CommandLimits limits) =>
        JsonPrescan.Scan(payload.Span, limits.MaxPayloadBytes, limits.MaxStringLength, out _);

    private static ParseResult<T> Fail<T>(ReadOnlySpan<byte> payload, CommandLimits limits, CommandFields fields, CommandError error)
        where T : CameraRequest
    {
        // A request id that was itself the problem is not guessed at; any other failure (NaN, truncation, nesting)
        // still names the id the sender gave, when the prescan can find it.
        var requestId = fields.RequestId;
        if (requestId is null && error.Field != "request_id")
        {
            requestId = JsonPrescan.Scan(payload, limits.MaxPayloadBytes, limits.MaxStringLength, out _);
        }

        return ParseResult<T>.Fail(requestId, error.Field, error.Message);
    }

    private static CommandError? Read(ReadOnlySpan<byte> json, CommandLimits limits, Verb verb, CommandFields f)
    {
        if (json.Length > limits.MaxPayloadBytes)
        {
            return new CommandError("$", $"the payload has {json.Length} bytes; at most {limits.MaxPayloadBytes} are accepted");
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            return verb == Verb.Reset ? null : new CommandError("$", "malformed JSON: the payload is empty");
        }

        JsonPrescan.Scan(json, limits.MaxPayloadBytes, limits.MaxStringLength, out var depth);
        if (depth > limits.MaxDepth)
        {
            return new CommandError("$", $"the JSON nests {depth} levels deep; at most {limits.MaxDepth} are accepted");
        }

        // The prescan counts brackets only; the reader's own limit (one more, so the prescan's message comes first) holds
        // whatever the prescan misjudged.
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxDepth + 1 });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return new CommandError("$", $"the payload must be a JSON object, got {Show(ref reader, json)}");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader, verb);
                reader.Read();
                if (field == Field.None)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue; // null means absent
                }

                if (f.Seen.HasFlag(field))
                {
                    return new CommandError(Name(field), $"{Name(field)} is given twice");
                }

                f.Seen |= field;
                if (ReadField(ref reader, json, limits, field, f) is { } error)
                {
                    return error;
                }
            }

            // Anything after the object (a second value, garbage) makes the reader throw here.
            reader.Read();
            return null;
        }
        catch (JsonException e)
        {
            return new CommandError("$", "malformed JSON: " + e.Message);
        }
    }

    private static CommandError? ReadField(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, CommandLimits limits, Field field, CommandFields f)
    {
        switch (field)
        {
            case Field.RequestId:
                return JsonText.ReadRequestId(ref reader, limits.MaxStringLength, out f.RequestId) switch
                {
                    JsonText.Outcome.Ok => null,
                    JsonText.Outcome.TooLong => new CommandError("request_id", $"request_id is longer than {limits.MaxStringLength} characters"),
                    JsonText.Outcome.Invalid => new CommandError("request_id", "request_id is not valid Unicode text (a lone UTF-16 surrogate escape or invalid UTF-8)"),
                    _ => new CommandError("request_id", $"request_id must be a string, got {Show(ref reader, json)}"),
                };
            case Field.ObjectId:
                return ReadObjectId(ref reader, json, f);
            case Field.Label:
                return JsonText.ReadString(ref reader, limits.MaxStringLength, out f.Label) switch
                {
                    JsonText.Outcome.Ok => null,
                    JsonText.Outcome.TooLong => new CommandError("label", $"label is longer than {limits.MaxStringLength} characters, the most accepted"),
                    JsonText.Outcome.Invalid => new CommandError("label", "label is not valid Unicode text (a lone UTF-16 surrogate escape or invalid UTF-8)"),
                    _ => new CommandError("label", $"label must be a string, got {Show(ref reader, json)}"),
                };
            case Field.Normalized:
                return ReadBool(ref reader, json, "normalized", out f.Normalized);
            case Field.Refine:
                return ReadBool(ref reader, json, "refine", out f.Refine);
            case Field.Enabled:
                var enabledError = ReadBool(ref reader, json, "enabled", out var enabled);
                f.Enabled = enabled;
                return enabledError;
            case Field.Points:
                return ReadPoints(ref reader, json, limits.MaxPoints, f);
            case Field.Box:
                return ReadBox(ref reader, json, f);
            case Field.Mask:
                return MaskField.Read(ref reader, json, f.SetMask);
            case Field.Frame:
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var frame) || frame < 0)
                {
                    return new CommandError("frame", $"frame must be a frame sequence number (an integer ≥ 0), got {Show(ref reader, json)}");
                }

                f.Frame = frame;
                return null;
            case Field.CaptureTime:
                if (JsonText.ReadString(ref reader, 64, out var text) != JsonText.Outcome.Ok
                    || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                {
                    return new CommandError("capture_time", $"capture_time must be an ISO 8601 time such as \"2026-11-22T03:00:01.200Z\", got {Show(ref reader, json)}");
                }

                f.CaptureTime = time;
                return null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static CommandError? ReadObjectId(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, CommandFields f)
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var id) && id > 0)
        {
            f.ObjectId = id;
            return null;
        }

        if (f.AllowAll && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("all"u8))
        {
            f.AllObjects = true;
            return null;
        }

        var what = f.AllowAll ? "a positive integer or \"all\"" : "a positive integer";
        return new CommandError("object_id", $"object_id must be {what}, got {Show(ref reader, json)}");
    }

    private static CommandError? ReadBool(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, string name, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False
            ? null
            : new CommandError(name, $"{name} must be true or false, got {Show(ref reader, json)}");
    }

    private static CommandError? ReadPoints(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int maxPoints, CommandFields f)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return new CommandError("points", $"points must be a list of [x, y, label], got {Show(ref reader, json)}");
        }

        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            if (count > maxPoints)
            {
                // Past the limit the rest is only counted (for the message), never kept.
                reader.Skip();
                continue;
            }

            if (ReadPoint(ref reader, json, count - 1, f.Points) is { } error)
            {
                return error;
            }
        }

        return count > maxPoints ? new CommandError("points", $"{count} points given; at most {maxPoints} are accepted") : null;
    }

    private static CommandError? ReadPoint(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, int index, List<RawPoint> points)
    {
        var field = $"points[{index}]";
        var start = reader.TokenStartIndex;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return new CommandError(field, $"a point is [x, y, label] (label 1 on the object, 0 not on it), got {Show(ref reader, json)}");
        }

        Span<double> v = stackalloc double[3];
        var n = 0;
        var coordinates = true;
        var label = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (n < 3)
            {
                var number = reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out v[n]) && double.IsFinite(v[n]);
                coordinates &= n == 2 || number;
                label &= n < 2 || number;
            }

            n++;
            reader.Skip();
        }

        var text = Render(json[(int)start..(int)reader.BytesConsumed]);
        if (n is not (2 or 3))
        {
            return new CommandError(field, $"a point is [x, y, label] (label 1 on the object, 0 not on it), got {text}");
        }

        if (!coordinates)
        {
            return new CommandError(field, $"point coordinates must be finite numbers, got {text}");
        }

        if (n == 3 && (!label || v[2] is not (0 or 1)))
        {
            return new CommandError(field, $"a point's label must be 1 (on the object) or 0 (not on it), got {text}");
        }

        points.Add(new RawPoint(v[0], v[1], n == 2 || v[2] == 1));
        return null;
    }

    private static CommandError? ReadBox(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, CommandFields f)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return new CommandError("box", $"box must be [x1, y1, x2, y2], got {Show(ref reader, json)}");
        }

        var start = reader.TokenStartIndex;
        Span<double> v = stackalloc double[4];
        var n = 0;
        var numbers = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (n < 4)
            {
                numbers &= reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out v[n]) && double.IsFinite(v[n]);
            }

            n++;
            reader.Skip();
        }

        var text = Render(json[(int)start..(int)reader.BytesConsumed]);
        if (n != 4)
        {
            return new CommandError("box", $"box must be [x1, y1, x2, y2], got {text}");
        }

        if (!numbers)
        {
            return new CommandError("box", $"box coordinates must be finite numbers, got {text}");
        }

        f.Box = new PromptBox((float)v[0], (float)v[1], (float)v[2], (float)v[3]);
        f.RawBox = [v[0], v[1], v[2], v[3]];
        return null;
    }

    private static CommandError? BuildPrompt(CommandFields f, out PromptRequest? prompt)
    {
        prompt = null;
        if (f.Refine && f.ObjectId is null)
        {
            return new CommandError("object_id", "refine needs the object_id of the object to refine");
        }

        var points = new List<PromptPoint>(f.Points.Count);
        for (var i = 0; i < f.Points.Count; i++)
        {
            var p = f.Points[i];
            if (f.Normalized && !(p.X is >= 0 and <= 1 && p.Y is >= 0 and <= 1))
            {
                return new CommandError($"points[{i}]", $"normalized point ({Num(p.X)}, {Num(p.Y)}) lies outside 0..1");
            }

            points.Add(new PromptPoint((float)p.X, (float)p.Y, p.Positive));
        }

        if (f.Normalized && f.RawBox is { } box && !(IsUnit(box[0]) && IsUnit(box[1]) && IsUnit(box[2]) && IsUnit(box[3])))
        {
            return new CommandError("box", $"normalized box [{Num(box[0])}, {Num(box[1])}, {Num(box[2])}, {Num(box[3])}] lies outside 0..1");
        }

        if (f.Mask is not null && (points.Count > 0 || f.Box is not null))
        {
            // SAM 2's add_new_mask takes the mask alone (a click on top of it would be a correction of that output).
            return new CommandError("mask", "a mask prompt cannot be combined with points or a box; send the mask alone");
        }

        if (points.Count == 0 && f.Box is null && f.Mask is null)
        {
            return new CommandError("points", "a prompt needs points or a box (or a mask)");
        }

        if (CheckFrameSelector(f) is { } atError)
        {
            return atError;
        }

        prompt = new PromptRequest(f.RequestId, f.ObjectId, f.Label, points, f.Box, f.Normalized, f.Refine, new FrameSelector(f.Frame, f.CaptureTime), f.Mask);
        return null;
    }

    private static bool IsUnit(double v) => v is >= 0 and <= 1;

    private static CommandError? CheckFrameSelector(CommandFields f) =>
        f.Frame is not null && f.CaptureTime is not null ? new CommandError("capture_time", "name the frame by frame or by capture_time, not both") : null;

    private static Field FieldOf(ref Utf8JsonReader reader, Verb verb)
    {
        // Only the fields the verb knows are read; any other is skipped unread (Messages/README.md: unknown fields are ignored).
        if (reader.ValueTextEquals("request_id"u8))
        {
            return Field.RequestId;
        }

        return verb switch
        {
            Verb.Prompt when reader.ValueTextEquals("object_id"u8) => Field.ObjectId,
            Verb.Prompt when reader.ValueTextEquals("label"u8) => Field.Label,
            Verb.Prompt when reader.ValueTextEquals("points"u8) => Field.Points,
            Verb.Prompt when reader.ValueTextEquals("box"u8) => Field.Box,
            Verb.Prompt when reader.ValueTextEquals("mask"u8) => Field.Mask,
            Verb.Prompt when reader.ValueTextEquals("normalized"u8) => Field.Normalized,
            Verb.Prompt when reader.ValueTextEquals("refine"u8) => Field.Refine,
            Verb.Prompt or Verb.Remove when reader.ValueTextEquals("frame"u8) => Field.Frame,
            Verb.Prompt or Verb.Remove when reader.ValueTextEquals("capture_time"u8) => Field.CaptureTime,
            Verb.Remove when reader.ValueTextEquals("object_id"u8) => Field.ObjectId,
            Verb.Set when reader.ValueTextEquals("enabled"u8) => Field.Enabled,
            _ => Field.None,
        };
    }

    private static string Name(Field field) => field switch
    {
        Field.RequestId => "request_id",
        Field.ObjectId => "object_id",
        Field.Label => "label",
        Field.Points => "points",
        Field.Box => "box",
        Field.Mask => "mask",
        Field.Normalized => "normalized",
        Field.Refine => "refine",
        Field.Frame => "frame",
        Field.CaptureTime => "capture_time",
        Field.Enabled => "enabled",
        _ => "$",
    };

    private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>A short rendering of the value at the reader (never the whole payload); leaves the reader at its end.</summary>
    internal static string Show(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                reader.Skip();
                return "an object";
            case JsonTokenType.StartArray:
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return Render(json[start..(int)reader.BytesConsumed]);
            case JsonTokenType.String:
                return Render(json.Slice((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2));
            case JsonTokenType.Null:
                return "null";
            default:
                return Render(reader.ValueSpan);
        }
    }

    private static string Render(ReadOnlySpan<byte> raw)
    {
        // Invalid UTF-8 decodes to U+FFFD; the text goes into a JSON reply (escaped by the writer) and into logs (escaped there).
        var text = raw.Length > 240 ? Encoding.UTF8.GetString(raw[..240]) : Encoding.UTF8.GetString(raw);
        return text.Length > 60 ? string.Concat(text.AsSpan(0, 57), "...") : text;
    }

    private enum Verb
    {
        Prompt,
        Remove,
        Reset,
        Set,
    }

    [Flags]
    private enum Field
    {
        None = 0,
        RequestId = 1,
        ObjectId = 2,
        Label = 4,
        Points = 8,
        Box = 16,
        Normalized = 32,
        Refine = 64,
        Frame = 128,
        CaptureTime = 256,
        Enabled = 512,
        Mask = 1024,
    }

    private readonly record struct RawPoint(double X, double Y, bool Positive);

    /// <summary>What the reader found, before the verb's own checks.</summary>
    private sealed class CommandFields
    {
        public Field Seen;
        public string? RequestId;
        public int? ObjectId;
        public bool AllObjects;
        public bool AllowAll = true;
        public string? Label;
        public bool Normalized;
        public bool Refine;
        public bool? Enabled;
        public long? Frame;
        public DateTimeOffset? CaptureTime;
        public PromptBox? Box;
        public double[]? RawBox;
        public readonly List<RawPoint> Points = [];
        public PromptMask? Mask;

        public void SetMask(PromptMask mask) => Mask = mask;
    }
}
