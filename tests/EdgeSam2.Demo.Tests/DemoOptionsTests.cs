namespace EdgeSam2.Demo.Tests;

public sealed class DemoOptionsTests
{
    [Fact]
    public void Parse_NoArguments_Defaults()
    {
        var options = DemoOptions.Parse([], out var error);

        Assert.Null(error);
        Assert.Equal("artifacts/demo", options!.OutputDirectory);
        Assert.Equal(0.9, options.MinMeanIoU);
        Assert.Equal(8, options.StripFrames);
    }

    [Fact]
    public void Parse_EveryOption_Applied()
    {
        var options = DemoOptions.Parse(
            ["--out", "o", "--agent", "a.dll", "--model", "m.json", "--ort", "o.so", "--start-timeout", "5", "--timeout", "7.5", "--min-iou", "0.8", "--strip-frames", "4"],
            out _)!;

        Assert.Equal(("o", "a.dll", "m.json", "o.so"), (options.OutputDirectory, options.AgentAssembly, options.ModelManifest, options.OrtLibrary));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(7.5)), (options.StartTimeout, options.RunTimeout));
        Assert.Equal((0.8, 4), (options.MinMeanIoU, options.StripFrames));
    }

    [Theory]
    [InlineData("--timeout", "-1", "--timeout: '-1' is not a valid value.")]
    [InlineData("--min-iou", "1.5", "--min-iou: '1.5' is not a valid value.")]
    [InlineData("--strip-frames", "x", "--strip-frames: 'x' is not a valid value.")]
    [InlineData("--colour", "red", "Unknown option --colour.")]
    public void Parse_BadValueOrUnknownOption_NullWithError(string name, string value, string expected)
    {
        Assert.Null(DemoOptions.Parse([name, value], out var error));
        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OptionWithoutValue_NullWithError()
    {
        Assert.Null(DemoOptions.Parse(["--out"], out var error));
        Assert.StartsWith("--out needs a value.", error, StringComparison.Ordinal);
    }
}
