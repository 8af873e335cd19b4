using System.Text;
using EdgeSam2.Agent.Commands;
using EdgeSam2.Agent.Messages;
using EdgeSam2.Agent.Mqtt;
using EdgeSam2.Agent.Tests.Support;
using EdgeSam2.Agent.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeSam2.Agent.Tests.Commands;

public sealed class CommandPlaneUnitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryAcquire_FloodFromOneSender_OthersKeepTheirBurst()
    {
        var time = new ManualTime(T0);
        var limiter = new RateLimiter(perSenderRate: 10, perSenderBurst: 5, globalRate: 1000, time);
        var decisions = new List<RateDecision>();
        for (var i = 0; i < 20; i++)
        {
            decisions.Add(limiter.TryAcquire("flood", out _));
        }

        Assert.Equal(5, decisions.Count(d => d == RateDecision.Allowed));
        Assert.Equal(1, decisions.Count(d => d == RateDecision.RefuseWithReply));
        Assert.Equal(14, decisions.Count(d => d == RateDecision.Drop));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(RateDecision.Allowed, limiter.TryAcquire("other", out _));
        }

        time.Advance(TimeSpan.FromSeconds(0.5));
        Assert.Equal(RateDecision.Allowed, limiter.TryAcquire("flood", out _));
    }

    [Fact]
    public void TryAcquire_GlobalLimitReached_RefusedAndSaysGlobal()
    {
        var limiter = new RateLimiter(perSenderRate: 100, perSenderBurst: 100, globalRate: 3, new ManualTime(T0));
        var allowed = 0;
        var global = false;
        for (var i = 0; i < 200; i++)
        {
            if (limiter.TryAcquire("s" + i, out var g) == RateDecision.Allowed)
            {
                allowed++;
            }
            else
            {
                global |= g;
            }
        }

        Assert.Equal(100, allowed); // the global burst is at least one sender's burst
        Assert.True(global);
    }

    [Theory]
    [InlineData("plain-id", "plain-id")]
    [InlineData("\u001b[31mred\u0000", "\\u001b[31mred\\u0000")]
    [InlineData("a\nb\r\tc\u009b", "a\\u000ab\\u000d\\u0009c\\u009b")]
    [InlineData("\U0001F600", "\U0001F600")]
    public void Escape_HostileText_ControlAndLoneSurrogatesEscaped(string text, string expected) => Assert.Equal(expected, LogText.Escape(text));

    [Fact]
    public void Escape_LoneSurrogate_Escaped()
    {
        // Built in code: attribute strings cannot carry a lone surrogate (metadata stores them as UTF-8).
        Assert.Equal("x\\ud800y", LogText.Escape("x" + (char)0xD800 + "y"));
        Assert.Equal("\\udc00x", LogText.Escape((char)0xDC00 + "x"));
    }

    [Fact]
    public void Check_ResponseTopicWithALoneSurrogate_Refused()
    {
        var policy = new ResponseTopicPolicy(["edgesam2/e1/replies/"], new AgentTopics("edgesam2/e1"));
        Assert.NotNull(policy.Check("edgesam2/e1/replies/a" + (char)0xD800));
    }

    [Fact]
    public void Escape_LongText_Cut()
    {
        var escaped = LogText.Escape(new string('a', 5000));
        Assert.True(escaped.Length < 200, escaped);
        Assert.Contains("5000 chars", escaped, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("edgesam2/e1/replies/console", true)]
    [InlineData("edgesam2/e1/replies/", false)]
    [InlineData("edgesam2/e1/available", false)]
    [InlineData("edgesam2/e1/cam1/set", false)]
    [InlineData("edgesam2/e1/replies/prompt", false)]
    [InlineData("edgesam2/e2/replies/x", false)]
    [InlineData("edgesam2/e1/replies/a+b", false)]
    public void Check_ResponseTopic_HonouredOnlyUnderThePrefix(string topic, bool honoured)
    {
        var policy = new ResponseTopicPolicy(["edgesam2/e1/replies/"], new AgentTopics("edgesam2/e1"));
        var error = policy.Check(topic);
        Assert.Equal(honoured, error is null);
        if (error is { } e)
        {
            Assert.Equal("response_topic", e.Field);
        }
    }

    [Fact]
    public void Refused_ManyInOneInterval_OneWarningThenOneSummary()
    {
        var time = new ManualTime(T0);
        var logger = new ListLogger();
        var log = new RefusalLog(logger, time, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 500; i++)
        {
            log.Refused("t", "r" + i, "$", "bad");
        }

        log.Dropped();
        Assert.Single(logger.Lines);
        time.Advance(TimeSpan.FromSeconds(11));
        log.Flush(force: false);
        Assert.Equal(2, logger.Lines.Count);
        Assert.Contains("499 more commands refused and 1 dropped", logger.Lines[1], StringComparison.Ordinal);
        log.Refused("t", "next", "$", "bad");
        Assert.Equal(3, logger.Lines.Count);
    }

    [Fact]
    public void Scan_TopLevelRequestId_FoundAroundUnparseableText()
    {
        static string? Scan(string json, out int depth) => JsonPrescan.Scan(Encoding.UTF8.GetBytes(json), 1 << 20, 200, out depth);

        Assert.Equal("a", Scan("""{"x":[NaN,[1,2]],"request_id":"a","y":{"request_id":"b"}}""", out var depth));
        Assert.Equal(3, depth);
        Assert.Equal("12", Scan("""{ "request_id" : 12 }""", out _));
        Assert.Equal("q\"}", Scan("""{"s":"\"request_id\":\"no\"","request_id":"q\"}"}""", out _));
        Assert.Null(Scan("""{"request_id":"\ud800"}""", out _));
        Assert.Null(Scan("""["request_id","x"]""", out _));
        Assert.Null(Scan("""{"request_id":""", out _));
        Assert.Null(Scan("""{"request_id":{"a":1}}""", out _));
    }

    [Fact]
    public async Task TryEnqueue_QueueFull_FalseAndCountedNeverBlocks()
    {
        var options = new AgentOptions { Commands = { ReplyQueueCapacity = 2 } };
        await using var mqtt = new AgentMqtt(options, NullLoggerFactory.Instance);
        var stats = new CommandStats();
        using var queue = new ReplyQueue(mqtt, stats, options, NullLogger<ReplyQueue>.Instance);
        var target = new ReplyTarget("edgesam2/edge-1/cam1/reply", null);
        Assert.True(queue.TryEnqueue(target, new CommandReply("a", true)));
        Assert.True(queue.TryEnqueue(target, CommandReply.Fail("b", new CommandError("$", "bad"))));
        Assert.False(queue.TryEnqueue(target, new CommandReply("c", true)));
        Assert.Equal((2L, 1L), (stats.Replied, stats.ReplyQueueFull));
    }

    private sealed class ListLogger : ILogger<RefusalLog>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
