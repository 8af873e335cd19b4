using System.Text;
using EdgeSam2.Agent.Messages;

namespace EdgeSam2.Agent.Tests.Messages;

public sealed class CommandParserTests
{
    private const int MaxPoints = 16;

    private static readonly CommandLimits Limits = new(4096, 8, MaxPoints, 200);

    private static ParseResult<PromptRequest> Prompt(string json) => CommandParser.ParsePrompt(Encoding.UTF8.GetBytes(json), Limits);

    private static ParseResult<RemoveRequest> Remove(string json) => CommandParser.ParseRemove(Encoding.UTF8.GetBytes(json), Limits);

    private static ParseResult<SetRequest> Set(string json) => CommandParser.ParseSet(Encoding.UTF8.GetBytes(json), Limits);

    private static ParseResult<ResetRequest> Reset(string json) => CommandParser.ParseReset(Encoding.UTF8.GetBytes(json), Limits);

    [Fact]
    public void ParsePrompt_EveryField_ReadsThemAll()
    {
        var result = Prompt("""{"request_id":"r1","object_id":3,"label":"red","points":[[10,20,1],[30.5,40,0]],"box":[1,2,300,400],"normalized":false,"frame":12}""");
        Assert.Null(result.Error);
        var p = result.Request!;
        Assert.Equal("r1", p.RequestId);
        Assert.Equal(3, p.ObjectId);
        Assert.Equal("red", p.Label);
        Assert.Equal(2, p.Points.Count);
        Assert.Equal((10f, 20f, true), (p.Points[0].X, p.Points[0].Y, p.Points[0].Positive));
        Assert.Equal((30.5f, 40f, false), (p.Points[1].X, p.Points[1].Y, p.Points[1].Positive));
        Assert.Equal(new EdgeSam2.Tracking.Tracker.PromptBox(1, 2, 300, 400), p.Box);
        Assert.Equal(12, p.At.Frame);
        Assert.Null(p.At.CaptureTime);
        Assert.False(p.Refine);
    }

    [Fact]
    public void ParsePrompt_OnlyABox_IsAccepted()
    {
        var result = Prompt("""{"box":[1,2,3,4]}""");
        Assert.Null(result.Error);
        Assert.Empty(result.Request!.Points);
        Assert.True(result.Request.At.IsNext);
        Assert.Null(result.Request.ObjectId);
    }

    [Fact]
    public void ParsePrompt_CaptureTime_ParsedAsUtc()
    {
        var result = Prompt("""{"points":[[1,2,1]],"capture_time":"2026-11-22T03:00:01.200Z"}""");
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 3, 0, 1, 200, TimeSpan.Zero), result.Request!.At.CaptureTime);
    }

    [Fact]
    public void ParsePrompt_UnknownFields_AreIgnored()
    {
        var result = Prompt("""{"points":[[1,2,1]],"colour":"red","extra":{"a":[1]}}""");
        Assert.Null(result.Error);
    }

    [Fact]
    public void ParsePrompt_TwoElementPoint_IsPositive()
    {
        Assert.True(Prompt("""{"points":[[1,2]]}""").Request!.Points[0].Positive);
    }

    [Theory]
    [InlineData("""{"points":[[1,2,1]]""", "$", "malformed JSON")]
    [InlineData("not json", "$", "malformed JSON")]
    [InlineData("", "$", "malformed JSON")]
    [InlineData("[1,2]", "$", "must be a JSON object")]
    [InlineData("""{"request_id":{"a":1},"points":[[1,2,1]]}""", "request_id", "must be a string")]
    [InlineData("""{"object_id":0,"points":[[1,2,1]]}""", "object_id", "positive integer")]
    [InlineData("""{"object_id":"x","points":[[1,2,1]]}""", "object_id", "positive integer")]
    [InlineData("""{"object_id":1.5,"points":[[1,2,1]]}""", "object_id", "positive integer")]
    [InlineData("""{"label":7,"points":[[1,2,1]]}""", "label", "must be a string")]
    [InlineData("""{}""", "points", "needs points or a box")]
    [InlineData("""{"points":[]}""", "points", "needs points or a box")]
    [InlineData("""{"points":"abc"}""", "points", "must be a list")]
    [InlineData("""{"points":[[1]]}""", "points[0]", "[x, y, label]")]
    [InlineData("""{"points":[[1,2,1],[1,"y",1]]}""", "points[1]", "finite numbers")]
    [InlineData("""{"points":[[1,2,2]]}""", "points[0]", "label must be 1")]
    [InlineData("""{"points":[[1.5,0.5,1]],"normalized":true}""", "points[0]", "outside 0..1")]
    [InlineData("""{"points":[[-0.1,0.5,1]],"normalized":true}""", "points[0]", "outside 0..1")]
    [InlineData("""{"box":[0,0,2,0.5],"normalized":true}""", "box", "outside 0..1")]
    [InlineData("""{"box":[1,2,3]}""", "box", "[x1, y1, x2, y2]")]
    [InlineData("""{"box":[1,2,3,"4"]}""", "box", "finite numbers")]
    [InlineData("""{"points":[[1,2,1]],"normalized":"yes"}""", "normalized", "true or false")]
    [InlineData("""{"points":[[1,2,1]],"frame":-1}""", "frame", "integer ≥ 0")]
    [InlineData("""{"points":[[1,2,1]],"frame":"3"}""", "frame", "integer ≥ 0")]
    [InlineData("""{"points":[[1,2,1]],"capture_time":"yesterday"}""", "capture_time", "ISO 8601")]
    [InlineData("""{"points":[[1,2,1]],"frame":3,"capture_time":"2026-11-22T03:00:01Z"}""", "capture_time", "not both")]
    [InlineData("""{"points":[[1,2,1]],"refine":true}""", "object_id", "refine needs")]
    public void ParsePrompt_BadInput_ErrorNamesTheField(string json, string field, string text)
    {
        var result = Prompt(json);
        Assert.Null(result.Request);
        var error = Assert.NotNull(result.Error);
        Assert.Equal(field, error.Field);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePrompt_Mask_DecodedRowMajor()
    {
        // Column-major runs 4,1,2,1,4 of a 3×4 mask: row 1, columns 1 and 2.
        var result = Prompt("""{"request_id":"m1","object_id":2,"mask":{"size":[3,4],"counts":"41202"}}""");
        Assert.Null(result.Error);
        var mask = Assert.IsType<EdgeSam2.Tracking.Tracker.PromptMask>(result.Request!.Mask);
        Assert.Equal((4, 3, "41202"), (mask.Width, mask.Height, mask.Counts));
        var pixels = new byte[12];
        Assert.True(EdgeSam2.Tracking.Masks.CocoRle.Decode(mask.Counts, mask.Width, mask.Height, pixels).Success);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0 }, pixels);
        Assert.Empty(result.Request.Points);
    }

    [Fact]
    public void ParsePrompt_FullFrame8KMask_KeepsTheRleNotThePixels()
    {
        // A 7680×4320 mask set everywhere: 33 MB of pixels in a 7-character counts string. A prompt may wait in the
        // inbox for its frame, so what it holds must be bounded by the payload, not by the size it claims.
        var json = Encoding.UTF8.GetBytes("""{"request_id":"big","frame":9,"mask":{"size":[4320,7680],"counts":"0PP`do0"}}""");
        CommandParser.ParsePrompt(json, Limits); // warm up the JIT so its allocations do not count
        var before = GC.GetAllocatedBytesForCurrentThread();

        var result = CommandParser.ParsePrompt(json, Limits);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Null(result.Error);
        Assert.Equal((7680, 4320, "0PP`do0"), (result.Request!.Mask!.Width, result.Request.Mask.Height, result.Request.Mask.Counts));
        Assert.True(allocated < 16 * 1024, $"parsing allocated {allocated} bytes for a {json.Length}-byte prompt");
    }

    [Theory]
    [InlineData("""{"mask":[1,2]}""", "COCO RLE object")]
    [InlineData("""{"mask":{"counts":"41202"}}""", "needs size")]
    [InlineData("""{"mask":{"size":[3,4]}}""", "needs counts")]
    [InlineData("""{"mask":{"size":[3],"counts":"41202"}}""", "[height, width]")]
    [InlineData("""{"mask":{"size":[0,4],"counts":"41202"}}""", "[height, width]")]
    [InlineData("""{"mask":{"size":[3,4],"counts":[4,1,2,1,4]}}""", "list of run lengths is not accepted")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"412"}}""", "not a valid COCO RLE of a 4×3 mask")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"4~"}}""", "not a valid COCO RLE")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"<"}}""", "empty")]
    [InlineData("""{"mask":{"size":[8000,8000],"counts":"0"}}""", "at most")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"0PeQ3"}}""", "counts cover more than the 12 pixels")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"123nooooo7"}}""", "counts cover more than the 12 pixels")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"0PPPPPPPP1"}}""", "count 1 is longer than 7 characters")]
    [InlineData("""{"mask":{"size":[3,4],"counts":":K"}}""", "count 1 is negative")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"4P"}}""", "truncated")]
    [InlineData("""{"mask":{"size":[3,4],"counts":""}}""", "counts cover 0 pixels")]
    [InlineData("""{"mask":{"size":[3,4],"counts":41202}}""", "compressed RLE string, got 41202")]
    [InlineData("""{"mask":{"size":[0,0],"counts":""}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":[3.5,4],"counts":"41202"}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":[-3,4],"counts":"41202"}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":[3,4,1],"counts":"41202"}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":["3","4"],"counts":"41202"}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":[99999999999,1],"counts":"41202"}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":[1,8193],"counts":"41202"}}""", "two integers from 1 to 8192")]
    [InlineData("""{"mask":{"size":"3x4","counts":"41202"}}""", "mask.size must be [height, width], got")]
    [InlineData("""{"mask":{"size":[3,4],"counts":"41202"},"points":[[1,1,1]]}""", "cannot be combined with points or a box")]
    [InlineData("""{"box":[0,0,2,2],"mask":{"size":[3,4],"counts":"41202"}}""", "cannot be combined with points or a box")]
    public void ParsePrompt_BadMask_RefusedNamingTheProblem(string json, string text)
    {
        var result = Prompt(json);
        Assert.Null(result.Request);
        var error = Assert.NotNull(result.Error);
        Assert.Equal("mask", error.Field);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePrompt_TooManyPoints_RefusedNamingTheLimit()
    {
        var points = string.Join(",", Enumerable.Repeat("[1,2,1]", MaxPoints + 1));
        var result = Prompt($$"""{"request_id":"r9","points":[{{points}}]}""");
        Assert.Equal("points", result.Error!.Value.Field);
        Assert.Contains($"{MaxPoints + 1} points given; at most {MaxPoints}", result.Error.Value.Message, StringComparison.Ordinal);
        Assert.Equal("r9", result.RequestId);
    }

    [Fact]
    public void ParsePrompt_ErrorAfterRequestId_KeepsTheRequestId()
    {
        Assert.Equal("abc", Prompt("""{"request_id":"abc","points":7}""").RequestId);
    }

    [Fact]
    public void ParsePrompt_NumericRequestId_IsKeptAsText()
    {
        Assert.Equal("42", Prompt("""{"request_id":42,"points":[[1,2,1]]}""").RequestId);
    }

    [Fact]
    public void ParsePrompt_LongLabel_Refused()
    {
        var label = new string('a', Limits.MaxStringLength + 1);
        Assert.Equal("label", Prompt($$"""{"label":"{{label}}","points":[[1,2,1]]}""").Error!.Value.Field);
    }

    [Fact]
    public void ParsePrompt_DeeplyNested_RefusedNotThrown()
    {
        var json = "{\"x\":" + new string('[', 100) + new string(']', 100) + ",\"points\":[[1,2,1]]}";
        Assert.Equal("$", Prompt(json).Error!.Value.Field);
    }

    [Fact]
    public void ParseRemove_All_MeansEveryObject()
    {
        var result = Remove("""{"request_id":"r2","object_id":"all"}""");
        Assert.Null(result.Error);
        Assert.Null(result.Request!.ObjectId);
        Assert.Equal("r2", result.Request.RequestId);
    }

    [Fact]
    public void ParseRemove_OneId_ReadsIt()
    {
        Assert.Equal(4, Remove("""{"object_id":4,"frame":9}""").Request!.ObjectId);
        Assert.Equal(9, Remove("""{"object_id":4,"frame":9}""").Request!.At.Frame);
    }

    [Theory]
    [InlineData("""{}""", "object_id")]
    [InlineData("""{"object_id":"some"}""", "object_id")]
    [InlineData("""{"object_id":-2}""", "object_id")]
    [InlineData("""{"object_id":1,"frame":false}""", "frame")]
    [InlineData("""nope""", "$")]
    public void ParseRemove_BadInput_ErrorNamesTheField(string json, string field) =>
        Assert.Equal(field, Remove(json).Error!.Value.Field);

    [Theory]
    [InlineData("""{"enabled":true}""", true)]
    [InlineData("""{"request_id":"r3","enabled":false}""", false)]
    public void ParseSet_Enabled_ReadsIt(string json, bool enabled) => Assert.Equal(enabled, Set(json).Request!.Enabled);

    [Theory]
    [InlineData("""{}""", "enabled")]
    [InlineData("""{"enabled":"true"}""", "enabled")]
    [InlineData("""{"enabled":1}""", "enabled")]
    [InlineData("""[true]""", "$")]
    public void ParseSet_BadInput_ErrorNamesTheField(string json, string field) => Assert.Equal(field, Set(json).Error!.Value.Field);

    [Fact]
    public void PeekRequestId_AnyObject_ReadsIt()
    {
        Assert.Equal("x1", CommandParser.PeekRequestId("""{"request_id":"x1","whatever":[]}"""u8.ToArray(), Limits));
        Assert.Null(CommandParser.PeekRequestId("""{"request_id":"""u8.ToArray(), Limits));
    }

    [Theory]
    [InlineData("request_id", "label")]
    [InlineData("label", "request_id")]
    public void ParsePrompt_LoneSurrogate_RefusedNamingTheField(string bad, string other)
    {
        var json = $$"""{"{{bad}}":"a\ud800b","{{other}}":"ok","points":[[1,2,1]]}""";
        var result = Prompt(json);
        Assert.Null(result.Request);
        Assert.Equal(bad, result.Error!.Value.Field);
        Assert.Contains("not valid Unicode", result.Error.Value.Message, StringComparison.Ordinal);
        Assert.Equal(bad == "label" ? "ok" : null, result.RequestId);
    }

    [Fact]
    public void ParsePrompt_InvalidUtf8InLabel_Refused()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"label":"ab","points":[[1,2,1]]}""");
        bytes[10] = 0xFF;
        var result = CommandParser.ParsePrompt(bytes, Limits);
        Assert.NotNull(result.Error);
    }

    [Fact]
    public void ParsePrompt_ValidSurrogatePair_Accepted()
    {
        Assert.Equal("\U0001F600", Prompt("""{"label":"\ud83d\ude00","points":[[1,2,1]]}""").Request!.Label);
    }

    [Theory]
    [InlineData("""{"request_id":"n1","points":[[NaN,2,1]]}""")]
    [InlineData("""{"request_id":"n1","points":[[Infinity,2,1]]}""")]
    [InlineData("""{"points":[[1,2,1]],"box":[-Infinity,0,1,1],"request_id":"n1"}""")]
    [InlineData("""{"points":[[[[[[[[[[1]]]]]]]]]],"request_id":"n1"}""")]
    [InlineData("""{"points":[[1,2,1]], "request_id" : "n1" ,"x":1e999999999999,}""")]
    [InlineData("""{"request_id":"n1","points":[[1,2,1]]""")]
    public void ParsePrompt_UnparseableAfterOrBeforeTheId_ReplyKeepsTheId(string json)
    {
        var result = Prompt(json);
        Assert.NotNull(result.Error);
        Assert.Equal("n1", result.RequestId);
    }

    [Fact]
    public void ParsePrompt_NestedRequestId_NotMistakenForTheTopLevelOne()
    {
        Assert.Null(Prompt("""{"x":{"request_id":"inner"},"points":NaN}""").RequestId);
        Assert.Equal("outer", Prompt("""{"x":{"request_id":"inner"},"request_id":"outer","points":NaN}""").RequestId);
    }

    [Fact]
    public void ParsePrompt_OverTheByteLimit_RefusedBeforeParsing()
    {
        var json = """{"request_id":"big","points":[""" + string.Join(",", Enumerable.Repeat("[1,2,1]", 1000)) + "]}";
        var result = Prompt(json);
        Assert.Equal("$", result.Error!.Value.Field);
        Assert.Contains("at most 4096 are accepted", result.Error.Value.Message, StringComparison.Ordinal);
        Assert.Equal("big", result.RequestId);
    }

    [Fact]
    public void ParsePrompt_DeeperThanTheLimit_RefusedNamingTheDepth()
    {
        var json = """{"request_id":"deep","x":""" + new string('[', 8) + new string(']', 8) + "}";
        var result = Prompt(json);
        Assert.Contains("9 levels deep; at most 8", result.Error!.Value.Message, StringComparison.Ordinal);
        Assert.Equal("deep", result.RequestId);
    }

    [Fact]
    public void ParsePrompt_ManyPointsWithinTheByteLimit_CountedNotKept()
    {
        var limits = Limits with { MaxPayloadBytes = 4 * 1024 * 1024 };
        var json = """{"points":[""" + string.Join(",", Enumerable.Repeat("[1,2,1]", 100_000)) + "]}";
        var result = CommandParser.ParsePrompt(Encoding.UTF8.GetBytes(json), limits);
        Assert.Contains("100000 points given; at most 16", result.Error!.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePrompt_FieldGivenTwice_Refused()
    {
        Assert.Contains("given twice", Prompt("""{"points":[[1,2,1]],"points":[[3,4,1]]}""").Error!.Value.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParsePrompt_ObjectIdAll_RefusedForPrompts()
    {
        Assert.Equal("object_id", Prompt("""{"object_id":"all","points":[[1,2,1]]}""").Error!.Value.Field);
    }

    [Fact]
    public void ParseRemove_NullObjectId_IsMissingNotAll()
    {
        Assert.Equal("object_id", Remove("""{"object_id":null}""").Error!.Value.Field);
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData("""{}""", null)]
    [InlineData("""{"request_id":"r5","whatever":1}""", "r5")]
    public void ParseReset_EmptyOrObject_Accepted(string payload, string? requestId)
    {
        var result = Reset(payload);
        Assert.Null(result.Error);
        Assert.Equal(requestId, result.Request!.RequestId);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("nope")]
    [InlineData("""{"request_id":"r6"} x""")]
    public void ParseReset_NotAnObject_Refused(string payload) => Assert.NotNull(Reset(payload).Error);

}
