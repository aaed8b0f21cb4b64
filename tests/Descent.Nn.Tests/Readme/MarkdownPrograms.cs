namespace Descent.Nn.Tests.Readme;

/// <summary>Finds the C# programs in the repository's Markdown documents, each with the output block that follows it.</summary>
internal static class MarkdownPrograms
{
    /// <summary>The documents whose C# blocks must compile and run: the README and the packages' README.</summary>
    public static readonly string[] Documents = ["README.md", "src/PACKAGE.md"];

    public static IReadOnlyList<DocumentProgram> All() => Documents.SelectMany(d => Read(RepoFile(d), d)).ToList();

    /// <summary>
    /// Every ```csharp block of the document at <paramref name="path"/>. A ```text block that is the next block after
    /// one, in the same section, is its shown output. Headings are lines starting with '#' outside code blocks.
    /// </summary>
    public static IReadOnlyList<DocumentProgram> Read(string path, string name)
    {
        var lines = File.ReadAllLines(path);
        var programs = new List<DocumentProgram>();
        DocumentProgram? waiting = null; // a program whose output block may come next
        string heading = "";
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#'))
            {
                heading = lines[i].TrimStart('#').Trim();
                Flush();
                continue;
            }
            if (!lines[i].StartsWith("```")) continue;
            string info = lines[i][3..].Trim();
            int end = i + 1;
            while (end < lines.Length && !lines[end].StartsWith("```")) end++;
            if (end == lines.Length) throw new InvalidDataException($"{name}:{i + 1}: the code block never closes.");
            string body = string.Join('\n', lines[(i + 1)..end]);
            if (info == "csharp")
            {
                Flush();
                waiting = new DocumentProgram(name, i + 1, heading, body, null);
            }
            else if (info == "text" && waiting is not null)
            {
                programs.Add(waiting with { ShownOutput = body });
                waiting = null;
            }
            else Flush();
            i = end;
        }
        Flush();
        return programs;

        void Flush()
        {
            if (waiting is not null) programs.Add(waiting);
            waiting = null;
        }
    }

    /// <summary>A path in the repository, found from the test's output folder by looking up for Descent.slnx.</summary>
    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Descent.slnx"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException($"No Descent.slnx above {AppContext.BaseDirectory}: the tests run from a repository checkout.");
        return Path.Combine(dir.FullName, relative);
    }
}
