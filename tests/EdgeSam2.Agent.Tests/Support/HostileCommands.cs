using System.Globalization;
using System.Text;
using EdgeSam2.Mqtt;

namespace EdgeSam2.Agent.Tests.Support;

/// <summary>
/// A generated, reproducible set of hostile commands for an agent with a tracking camera <c>cam1</c> and a disabled
/// camera <c>cam2</c>. Nothing sent to <c>cam1</c> can legitimately change its objects (every command there is refused,
/// now or on the frame it names), so its masks must come out as without the traffic; <c>cam2</c> takes the
/// valid-but-abusive sequences (reset and remove-all storms, prompts that wait and expire, disable spam, floods).
/// </summary>
internal static class HostileCommands
{
    public static List<MqttMessage> Generate(string @base, int count, int seed)
    {
        var random = new Random(seed);
        var all = new List<MqttMessage>(count + 1000);
        var cam1 = @base + "/cam1/";
        var cam2 = @base + "/cam2/";
        var i = 0;
        while (all.Count < count)
        {
            i++;
            var id = "h" + i.ToString(CultureInfo.InvariantCulture);
            var sender = @base + "/replies/s" + random.Next(40).ToString(CultureInfo.InvariantCulture);
            switch (i % 24)
            {
                case 0:
                    all.Add(Raw(cam1 + "prompt", Truncate($$"""{"request_id":"{{id}}","points":[[10,10,1]],"label":"x"}""", random), sender));
                    break;
                case 1:
                    all.Add(Raw(cam1 + "prompt", RandomBytes(random), null));
                    break;
                case 2:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","object_id":"one","points":"many"}""", sender));
                    break;
                case 3:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","points":[[NaN,Infinity,1]]}""", sender));
                    break;
                case 4:
                    all.Add(Text(cam1 + "prompt", $$"""{"points":[[1,2,1]],"box":[-Infinity,0,1,1],"request_id":"{{id}}"}""", sender));
                    break;
                case 5:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","x":{{new string('[', 50 + random.Next(3000))}}1""", sender));
                    break;
                case 6:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}\ud800","points":[[10,10,1]]}""", sender));
                    break;
                case 7:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","label":"\udfff\ud800","points":[[10,10,1]]}""", sender));
                    break;
                case 8:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"\u001b[2J\u0000\r\n{{id}}\u0007\u009b","points":7}""", sender));
                    break;
                case 9:
                    all.Add(Text(@base + "/nocam" + random.Next(1000).ToString(CultureInfo.InvariantCulture) + "/prompt", $$"""{"request_id":"{{id}}","points":[[10,10,1]]}""", sender));
                    break;
                case 10:
                    all.Add(Text(cam1 + "remove", $$"""{"request_id":"{{id}}","object_id":{{90 + random.Next(9)}}}""", sender));
                    break;
                case 11:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","object_id":77,"refine":true,"points":[[100,100,1]]}""", sender));
                    break;
                case 12:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","object_id":5,"points":[[{{9000 + random.Next(100)}},20,1]]}""", sender));
                    break;
                case 13:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","frame":{{1_000_000 + random.Next(1_000_000)}},"points":[[100,100,1]]}""", sender));
                    break;
                case 14:
                    all.Add(Text(cam1 + "remove", $$"""{"request_id":"{{id}}","object_id":1,"frame":{{long.MaxValue}}}""", sender));
                    break;
                case 15:
                    // Waits for a frame past the file's end: answered when the file ends (or expired), never applied.
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","object_id":6,"frame":{{100 + random.Next(150)}},"points":[[-5,10,1]]}""", sender));
                    break;
                case 16:
                    all.Add(Text(cam2 + "prompt", $$"""{"request_id":"{{id}}","frame":{{random.Next(200)}},"points":[[100,100,1]]}""", sender));
                    break;
                case 17:
                    all.Add(Text(cam2 + (random.Next(2) == 0 ? "reset" : "remove"), random.Next(2) == 0 ? "" : $$"""{"request_id":"{{id}}","object_id":"all"}""", sender));
                    break;
                case 18:
                    all.Add(Text(cam2 + "set", $$"""{"request_id":"{{id}}","enabled":false}""", sender));
                    break;
                case 19:
                    // Response topics the agent must not publish to.
                    string[] targets = [@base + "/available", @base + "/cam1/set", "edgesam2/another-agent/cam1/prompt", "$SYS/x", @base + "/replies/cam1"];
                    all.Add(Text(cam2 + "set", $$"""{"request_id":"{{id}}","enabled":false}""", targets[random.Next(targets.Length)]));
                    break;
                case 20:
                    all.Add(Text(cam1 + (random.Next(2) == 0 ? "set" : "remove"), "", sender));
                    break;
                case 21:
                    // A flood: one sender, one topic, a burst of identical commands (every fourth round).
                    for (var f = 0; f < (i % 96 == 21 ? 60 : 1); f++)
                    {
                        all.Add(Text(cam2 + "reset", $$"""{"request_id":"{{id}}-{{f}}"}""", null));
                    }

                    break;
                case 22:
                    all.Add(Huge(cam1 + "prompt", id, i % 480 == 22 ? 100_000 : 9_000, sender));
                    break;
                default:
                    all.Add(Text(cam1 + "prompt", $$"""{"request_id":"{{id}}","points":[{{string.Join(",", Enumerable.Repeat("[1,2,1]", 17 + random.Next(200)))}}]}""", sender));
                    break;
            }
        }

        return all;
    }

    private static MqttMessage Text(string topic, string payload, string? responseTopic) => Raw(topic, Encoding.UTF8.GetBytes(payload), responseTopic);

    private static MqttMessage Raw(string topic, byte[] payload, string? responseTopic) =>
        new(topic, payload, MqttQos.AtLeastOnce) { ResponseTopic = responseTopic, CorrelationData = responseTopic is null ? null : Encoding.UTF8.GetBytes(topic) };

    private static byte[] Truncate(string json, Random random) => Encoding.UTF8.GetBytes(json[..random.Next(1, json.Length - 1)]);

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[1 + random.Next(300)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static MqttMessage Huge(string topic, string id, int points, string sender)
    {
        var text = new StringBuilder(points * 8 + 64).Append("{\"request_id\":\"").Append(id).Append("\",\"points\":[");
        for (var p = 0; p < points; p++)
        {
            text.Append(p == 0 ? "[1,2,1]" : ",[1,2,1]");
        }

        return Text(topic, text.Append("]}").ToString(), sender);
    }
}
