using Microsoft.Extensions.Configuration;

namespace EdgeSam2.Agent.Options;

/// <summary>Reads, checks and binds the <c>EdgeSam2</c> section: unknown keys, unconvertible values and bad values, all at once.</summary>
internal static class AgentConfiguration
{
    /// <summary>The bound, validated options with resolved paths.</summary>
    /// <exception cref="AgentConfigurationException">The configuration has problems; the message lists every one.</exception>
    public static AgentOptions Load(IConfiguration configuration, string? configDirectory)
    {
        var errors = new List<string>();
        var options = TryLoad(configuration, new PathResolver(configDirectory), errors);
        return errors.Count == 0 ? options : throw new AgentConfigurationException(errors);
    }

    public static AgentOptions TryLoad(IConfiguration configuration, PathResolver paths, List<string> errors)
    {
        var section = configuration.GetSection(AgentOptions.SectionName);
        var options = new AgentOptions();
        if (!section.Exists())
        {
            errors.Add($"the configuration has no '{AgentOptions.SectionName}' section.");
            return options;
        }

        var good = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        ConfigurationKeyWalker.Walk(section, typeof(AgentOptions), errors, good);
        new ConfigurationBuilder().AddInMemoryCollection(good).Build().GetSection(AgentOptions.SectionName).Bind(options);
        AgentOptionsValidator.Validate(options, paths, errors);
        return options;
    }
}

/// <summary>The configuration cannot be used; <see cref="Exception.Message"/> lists every problem, one per line.</summary>
public sealed class AgentConfigurationException : Exception
{
    public AgentConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid configuration:\n  " + string.Join("\n  ", errors)) => Errors = errors;

    public AgentConfigurationException()
        : this([])
    {
    }

    public AgentConfigurationException(string message)
        : base(message) => Errors = [message];

    public AgentConfigurationException(string message, Exception inner)
        : base(message, inner) => Errors = [message];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; }
}
