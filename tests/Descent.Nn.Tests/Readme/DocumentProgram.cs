namespace Descent.Nn.Tests.Readme;

/// <summary>
/// A ```csharp block of a Markdown document: a whole program, using lines included. <see cref="ShownOutput"/> is the
/// ```text block right after it, which shows what the program prints (null when the document shows none).
/// </summary>
/// <param name="File">The document, as the repository names it ("README.md").</param>
/// <param name="FenceLine">The 1-based line of the block's opening ```csharp; the code starts on the next line.</param>
/// <param name="Heading">The heading of the section the block is in.</param>
internal sealed record DocumentProgram(string File, int FenceLine, string Heading, string Code, string? ShownOutput)
{
    /// <summary>"README.md:123": where a reader finds the block.</summary>
    public string Where => $"{File}:{FenceLine}";

    /// <summary>The document line of a 0-based line of <see cref="Code"/>.</summary>
    public int DocumentLine(int codeLine) => FenceLine + 1 + codeLine;
}
