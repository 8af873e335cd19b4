namespace EdgeSam2.Mqtt.Tests.Client;

public class TopicNamesTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("edgesam2/agent/cam1/tracks", true)]
    [InlineData("", false)]
    [InlineData("a/+/b", false)]
    [InlineData("a/#", false)]
    public void IsValidTopicName_Cases(string topic, bool valid) => Assert.Equal(valid, TopicNames.IsValidTopicName(topic));

    [Theory]
    [InlineData("#", true)]
    [InlineData("a/#", true)]
    [InlineData("+/b/+", true)]
    [InlineData("a/b", true)]
    [InlineData("a/#/b", false)]
    [InlineData("a/b#", false)]
    [InlineData("a+/b", false)]
    [InlineData("", false)]
    public void IsValidTopicFilter_Cases(string filter, bool valid) => Assert.Equal(valid, TopicNames.IsValidTopicFilter(filter));
}
