using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Descent.Cli;

/// <summary>
/// System.CommandLine's parse errors, made readable: .NET type names become what to type ("a whole number", not
/// 'System.Int32'), and an unknown option or command gets the nearest known names ("did you mean '--epochs'?").
/// </summary>
internal static partial class ParseErrors
{
    public static string Explain(ParseError error, ParseResult parseResult)
    {
        string message = ExpectedType().Replace(error.Message, m => $": expected {Describe(m.Groups["type"].Value)}.");
        var unknown = Unrecognized().Match(error.Message);
        if (!unknown.Success) return message;
        string token = unknown.Groups["token"].Value;
        var suggestions = Suggest(token, KnownNames(parseResult.CommandResult, option: token.StartsWith('-')));
        string where = parseResult.CommandResult.Parent is CommandResult ? $" for '{Path(parseResult.CommandResult)}'" : "";
        string kind = token.StartsWith('-') ? "option" : "command or argument";
        message = $"unknown {kind} '{token}'{where}";
        return suggestions.Count switch
        {
            0 => $"{message}; see '{Path(parseResult.CommandResult)} --help'.",
            1 => $"{message}; did you mean '{suggestions[0]}'?",
            _ => $"{message}; did you mean one of {string.Join(", ", suggestions.Select(s => $"'{s}'"))}?",
        };
    }

    /// <summary>What a value of a .NET type is, in words a user types: "a whole number", "a number".</summary>
    internal static string Describe(string typeName)
    {
        string name = NullableOf().Match(typeName) is { Success: true } m ? m.Groups["inner"].Value : typeName;
        return name.Replace("System.", "") switch
        {
            "Int32" or "Int64" or "Int16" or "Byte" or "UInt32" or "UInt64" => "a whole number",
            "Double" or "Single" or "Decimal" => "a number (such as 0.5 or 1e-3)",
            "Boolean" => "true or false",
            "String" => "some text",
            var other => $"a value of type {other}",
        };
    }

    /// <summary>The known names nearest to <paramref name="token"/> by edit distance, or that it abbreviates; at most three.</summary>
    internal static IReadOnlyList<string> Suggest(string token, IEnumerable<string> known)
    {
        string bare = token.TrimStart('-');
        var scored = known.Distinct()
            .Select(name => (Name: name, Distance: Distance(bare, name.TrimStart('-'))))
            .Where(c => c.Distance <= Math.Max(1, bare.Length / 3) || (bare.Length >= 3 && c.Name.TrimStart('-').StartsWith(bare, StringComparison.Ordinal)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        return scored.Take(3).Select(c => c.Name).ToList();
    }

    // For a token that looks like an option, the long names of this command's options and of its parents' recursive
    // ones (--json, --verbose); otherwise its subcommands. Short aliases (-h, -?) are too short to be a typo's target.
    private static IEnumerable<string> KnownNames(CommandResult result, bool option)
    {
        if (!option)
        {
            foreach (var sub in result.Command.Subcommands) yield return sub.Name;
            yield break;
        }
        var options = result.Command.Options.AsEnumerable();
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            options = options.Concat(parent.Command.Options.Where(o => o.Recursive));
        foreach (var o in options)
            foreach (string name in o.Aliases.Append(o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)))
                yield return name;
    }

    private static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent) names.Insert(0, c.Command.Name);
        return string.Join(' ', names);
    }

    private static int Distance(string a, string b)
    {
        var row = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) row[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }

    [GeneratedRegex(@" as expected type '(?<type>[^']+)'\.")]
    private static partial Regex ExpectedType();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>.+)\]$")]
    private static partial Regex NullableOf();
}
