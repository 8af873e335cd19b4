using System.CommandLine;
using System.Globalization;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Cli;

/// <summary>
/// <c>edgesam2 prompt | remove | reset | set | watch | snapshot</c>: the operator's side of the MQTT interface
/// (src/EdgeSam2.Agent/Messages/README.md). Each command is sent with an MQTT 5 response topic under
/// <c>{base}/replies/</c> and correlation data, the agent's one reply is awaited and printed. Exit codes: 0 ok,
/// 1 the agent refused the command (error or expired), 2 no reply in time or no broker, 3 bad arguments.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Refused = 1;
    public const int NoReply = 2;
    public const int BadArguments = 3;

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = Build(output, error);
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken).ConfigureAwait(false);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var g = new GlobalOptions();
        var root = new RootCommand("Operate an EdgeSam2 agent over MQTT: prompt, remove, reset, set, watch, snapshot.");
        foreach (var option in g.All)
        {
            root.Options.Add(option);
        }

        var camera = new Option<string>("--camera", "-c") { Description = "The camera id (the {cam} topic level).", Required = true };

        var points = new Option<string[]>("--point", "-p") { Description = "A click x,y[,label] in source pixels (label 1 on the object, 0 not on it); repeat for more." };
        var box = new Option<string?>("--box") { Description = "A box x1,y1,x2,y2." };
        var objectId = new Option<int?>("--object-id") { Description = "The object to refine (or create with this id); absent: a new id." };
        var label = new Option<string?>("--label") { Description = "A label echoed in tracks." };
        var frame = new Option<long?>("--frame") { Description = "The frame sequence number the click refers to; absent: the next frame." };
        var normalized = new Option<bool>("--normalized") { Description = "Coordinates are fractions 0..1 of the frame." };
        var refine = new Option<bool>("--refine") { Description = "Only refine: the object must exist." };
        var prompt = new Command("prompt", "Prompt an object with clicks and/or a box, wait for the reply.") { camera, points, box, objectId, label, frame, normalized, refine };
        prompt.SetAction((parse, token) => SendAsync(parse, g, camera, "prompt", output, error, () =>
        {
            var request = new PromptArguments(parse.GetValue(points) ?? [], parse.GetValue(box), parse.GetValue(objectId), parse.GetValue(label), parse.GetValue(frame), parse.GetValue(normalized), parse.GetValue(refine));
            return RequestJson.Prompt(request);
        }, token));

        var removeId = new Option<int?>("--object-id") { Description = "The object to remove." };
        var all = new Option<bool>("--all") { Description = "Remove every object." };
        var removeFrame = new Option<long?>("--frame") { Description = "The frame to remove it on; absent: the next frame." };
        var remove = new Command("remove", "Remove one object (--object-id) or all (--all).") { camera, removeId, all, removeFrame };
        remove.SetAction((parse, token) => SendAsync(parse, g, camera, "remove", output, error, () => RequestJson.Remove(parse.GetValue(removeId), parse.GetValue(all), parse.GetValue(removeFrame)), token));

        var reset = new Command("reset", "Drop every object and waiting command of a camera.") { camera };
        reset.SetAction((parse, token) => SendAsync(parse, g, camera, "reset", output, error, static () => RequestJson.Reset(), token));

        var enabled = new Option<bool>("--enabled") { Description = "true to run the camera, false to pause it.", Required = true };
        var set = new Command("set", "Enable or disable a camera.") { camera, enabled };
        set.SetAction((parse, token) => SendAsync(parse, g, camera, "set", output, error, () => RequestJson.Set(parse.GetValue(enabled)), token));

        var watchCamera = new Option<string?>("--camera", "-c") { Description = "Only this camera; default every camera." };
        var count = new Option<int>("--count") { Description = "Stop after this many lines (0: until Ctrl-C).", DefaultValueFactory = _ => 0 };
        var watch = new Command("watch", "Print tracks, events and status readably as they arrive.") { watchCamera, count };
        watch.SetAction((parse, token) => WatchAsync(parse, g, parse.GetValue(watchCamera), parse.GetValue(count), output, error, token));

        var snapshotOut = new Option<FileInfo>("--output", "-o") { Description = "Where to save the JPEG.", Required = true };
        var snapshot = new Command("snapshot", "Ask for a JPEG of the camera's next frame, save it, print its frame number and capture time.") { camera, snapshotOut };
        snapshot.SetAction((parse, token) => SnapshotAsync(parse, g, parse.GetValue(camera)!, parse.GetValue(snapshotOut)!, output, error, token));

        root.Subcommands.Add(prompt);
        root.Subcommands.Add(remove);
        root.Subcommands.Add(reset);
        root.Subcommands.Add(set);
        root.Subcommands.Add(watch);
        root.Subcommands.Add(snapshot);
        return root;
    }

    private static async Task<int> SendAsync(
        ParseResult parse, GlobalOptions g, Option<string> cameraOption, string verb, TextWriter output, TextWriter error, Func<RequestJson.Built> build, CancellationToken token)
    {
        RequestJson.Built request;
        try
        {
            request = build();
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync("edgesam2: " + e.Message).ConfigureAwait(false);
            return BadArguments;
        }

        var settings = g.Read(parse);
        var camera = parse.GetValue(cameraOption)!;
        try
        {
            await using var client = await AgentClient.ConnectAsync(settings, token).ConfigureAwait(false);
            var reply = await client.RequestAsync(camera, verb, request, token).ConfigureAwait(false);
            if (reply is null)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"edgesam2: no reply from {settings.Base}/{camera}/{verb} within {settings.Timeout.TotalSeconds} s (is the agent running, and is {settings.Base} its base topic?)")).ConfigureAwait(false);
                return NoReply;
            }

            await output.WriteLineAsync(settings.Json ? reply.Json : reply.Describe()).ConfigureAwait(false);
            return reply.Status == "ok" ? Ok : Refused;
        }
        catch (AgentClientException e)
        {
            await error.WriteLineAsync("edgesam2: " + e.Message).ConfigureAwait(false);
            return NoReply;
        }
    }

    private static async Task<int> SnapshotAsync(ParseResult parse, GlobalOptions g, string camera, FileInfo file, TextWriter output, TextWriter error, CancellationToken token)
    {
        var settings = g.Read(parse);
        try
        {
            await using var client = await AgentClient.ConnectAsync(settings, token).ConfigureAwait(false);
            var result = await client.SnapshotAsync(camera, token).ConfigureAwait(false);
            if (result is not { } got)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"edgesam2: no reply from {settings.Base}/{camera}/capture within {settings.Timeout.TotalSeconds} s (is the agent running, and is {settings.Base} its base topic?)")).ConfigureAwait(false);
                return NoReply;
            }

            if (got.Reply.Status != "ok")
            {
                await output.WriteLineAsync(settings.Json ? got.Reply.Json : got.Reply.Describe()).ConfigureAwait(false);
                return Refused;
            }

            if (got.Jpeg is not { } jpeg)
            {
                await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"edgesam2: the agent took frame {got.Reply.Frame}, but its JPEG did not arrive on {settings.Base}/{camera}/snapshot within {settings.Timeout.TotalSeconds} s")).ConfigureAwait(false);
                return NoReply;
            }

            await File.WriteAllBytesAsync(file.FullName, jpeg.Payload.ToArray(), token).ConfigureAwait(false);
            var size = $"{Property(jpeg, "width")}x{Property(jpeg, "height")}";
            await output.WriteLineAsync(settings.Json
                ? got.Reply.Json
                : string.Create(CultureInfo.InvariantCulture, $"ok frame {got.Reply.Frame} captured {Property(jpeg, "capture_time")}, {size}, {jpeg.Payload.Length} bytes: {file.FullName}")).ConfigureAwait(false);
            return Ok;
        }
        catch (AgentClientException e)
        {
            await error.WriteLineAsync("edgesam2: " + e.Message).ConfigureAwait(false);
            return NoReply;
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"edgesam2: cannot write {file.FullName}: {e.Message}").ConfigureAwait(false);
            return BadArguments;
        }

        static string? Property(MqttMessage message, string name) => message.UserProperties?.FirstOrDefault(p => p.Name == name).Value;
    }

    private static async Task<int> WatchAsync(ParseResult parse, GlobalOptions g, string? camera, int count, TextWriter output, TextWriter error, CancellationToken token)
    {
        var settings = g.Read(parse);
        try
        {
            await using var client = await AgentClient.ConnectAsync(settings, token).ConfigureAwait(false);
            await client.WatchAsync(camera, count, output, token).ConfigureAwait(false);
            return Ok;
        }
        catch (AgentClientException e)
        {
            await error.WriteLineAsync("edgesam2: " + e.Message).ConfigureAwait(false);
            return NoReply;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return Ok;
        }
    }

    /// <summary>Connection options every command shares.</summary>
    private sealed class GlobalOptions
    {
        private readonly Option<string> _host = new("--host") { Description = "Broker host.", DefaultValueFactory = _ => "127.0.0.1", Recursive = true };
        private readonly Option<int> _port = new("--port") { Description = "Broker port.", DefaultValueFactory = _ => 1883, Recursive = true };
        private readonly Option<string> _agent = new("--agent") { Description = "The agent's AgentId.", DefaultValueFactory = _ => "edge-1", Recursive = true };
        private readonly Option<string?> _base = new("--base") { Description = "The agent's base topic; default edgesam2/{agent}.", Recursive = true };
        private readonly Option<string?> _username = new("--username") { Description = "Broker user name.", Recursive = true };
        private readonly Option<double> _timeout = new("--timeout") { Description = "Seconds to wait for the reply.", DefaultValueFactory = _ => 10, Recursive = true };
        private readonly Option<bool> _json = new("--json") { Description = "Print replies as the agent's JSON.", Recursive = true };

        public IEnumerable<Option> All => [_host, _port, _agent, _base, _username, _timeout, _json];

        public ConnectionSettings Read(ParseResult parse)
        {
            var agent = parse.GetValue(_agent)!;
            return new ConnectionSettings(
                parse.GetValue(_host)!,
                parse.GetValue(_port),
                parse.GetValue(_base) is { Length: > 0 } b ? b.TrimEnd('/') : "edgesam2/" + agent,
                parse.GetValue(_username),

                // A password on the command line would show in `ps`; it is read from the environment only.
                Environment.GetEnvironmentVariable("EDGESAM2_MQTT_PASSWORD"),
                TimeSpan.FromSeconds(parse.GetValue(_timeout)),
                parse.GetValue(_json));
        }
    }
}

/// <summary>Where the agent is and how to talk to it.</summary>
internal sealed record ConnectionSettings(string Host, int Port, string Base, string? Username, string? Password, TimeSpan Timeout, bool Json);
