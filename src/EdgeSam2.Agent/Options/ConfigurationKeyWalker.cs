using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace EdgeSam2.Agent.Options;

/// <summary>
/// Walks a configuration section against the option types, the way Frigate's strict config does: every key must
/// name a settable property, every value must convert to its property's type. It reports every problem (never
/// throws) and collects the values that are good, so binding them cannot fail.
/// </summary>
internal static class ConfigurationKeyWalker
{
    public static void Walk(IConfigurationSection section, Type type, List<string> errors, Dictionary<string, string?> good)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                errors.Add($"{child.Path}: unknown option '{child.Key}' (known: {string.Join(", ", KnownKeys(type))}).");
                continue;
            }

            WalkValue(child, property.PropertyType, errors, good);
        }
    }

    private static void WalkValue(IConfigurationSection section, Type type, List<string> errors, Dictionary<string, string?> good)
    {
        var hasChildren = section.GetChildren().Any();
        if (IsScalar(type))
        {
            if (hasChildren)
            {
                errors.Add($"{section.Path}: expects a single {Describe(type)}, not an object or a list.");
            }
            else if (TryConvert(section.Value, type, out var problem))
            {
                good[section.Path] = section.Value;
            }
            else
            {
                errors.Add($"{section.Path}: {problem}");
            }

            return;
        }

        if (!hasChildren)
        {
            // JSON null and [] / {} arrive as an empty value: keep the default.
            if (!string.IsNullOrEmpty(section.Value))
            {
                errors.Add($"{section.Path}: expects {(ElementType(type) is null ? "an object" : "a list")}, got '{section.Value}'.");
            }

            return;
        }

        if (ElementType(type) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                if (!int.TryParse(item.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add($"{section.Path}: expects a list, got an object with key '{item.Key}'.");
                    return;
                }

                WalkValue(item, element, errors, good);
            }

            return;
        }

        Walk(section, type, errors, good);
    }

    private static bool TryConvert(string? value, Type type, out string problem)
    {
        problem = "";
        if (value is null || type == typeof(string))
        {
            return true;
        }

        if (type.IsEnum)
        {
            if (Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!) && !int.TryParse(value, out _))
            {
                return true;
            }

            problem = $"'{value}' is not one of {string.Join(", ", Enum.GetNames(type))}.";
            return false;
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            problem = $"'{value}' is not a valid {Describe(type)}.";
            return false;
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || (Nullable.GetUnderlyingType(type) is { } inner && IsScalar(inner));

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[0] : null;
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(int) || type == typeof(long) => "integer",
        _ when type == typeof(double) || type == typeof(float) => "number",
        _ when type == typeof(bool) => "boolean (true or false)",
        _ => type.Name,
    };

    /// <summary>The settable properties of an option type: the keys a config may use.</summary>
    public static IEnumerable<string> KnownKeys(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.CanWrite)
            {
                yield return property.Name;
            }
        }
    }
}
