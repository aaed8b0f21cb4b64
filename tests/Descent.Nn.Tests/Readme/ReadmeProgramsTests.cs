namespace Descent.Nn.Tests.Readme;

/// <summary>
/// Every C# block in README.md and src/PACKAGE.md is a whole program, using lines included, that compiles as a fresh
/// console project would compile it, runs, and prints what the document shows after it. They run as written, in a
/// fresh program's state: on the CPU, the default device.
/// </summary>
[Collection(ConsoleCollection.Name)]
public class ReadmeProgramsTests
{
    // The documents show results as this repository's machine printed them; see ShownOutput.
    private const double Tolerance = 0.01;

    public static TheoryData<string> Programs()
    {
        var data = new TheoryData<string>();
        foreach (var program in MarkdownPrograms.All()) data.Add(program.Where);
        return data;
    }

    [Theory]
    [MemberData(nameof(Programs))]
    public void Program_compiles_as_written_runs_and_prints_what_the_document_shows(string where)
    {
        var program = MarkdownPrograms.All().Single(p => p.Where == where);
        Assert.True(program.ShownOutput is not null, $"{where} ({program.Heading}): no ```text block after the program shows what it prints.");
        string printed = ProgramRunner.Run(program);
        string? difference = ShownOutput.Difference(program.ShownOutput!, printed, Tolerance);
        Assert.True(difference is null, $"{where} ({program.Heading}): {difference}\nIt printed:\n{printed}");
    }

    [Fact]
    public void Readme_has_the_library_program_that_ci_runs_from_the_package()
    {
        // .ci/package-check copies the first C# block under this heading into a fresh project that takes Descent.Nn
        // from the packages, and looks for these lines in its output.
        var library = MarkdownPrograms.Read(MarkdownPrograms.RepoFile("README.md"), "README.md")
            .First(p => p.Heading == "Use it as a library");
        Assert.Contains("using Descent.Nn.Models;", library.Code);
        Assert.Contains(".Fit(", library.Code);
        Assert.Contains("Model.Load(", library.Code);
        Assert.Matches(@"(?m)^Test accuracy: 9\d\.\d ?%$", library.ShownOutput);
        Assert.Contains("The loaded model gives the same predictions.", library.ShownOutput);
    }

    [Fact]
    public void Each_document_has_programs()
    {
        var programs = MarkdownPrograms.All();
        foreach (var document in MarkdownPrograms.Documents)
            Assert.Contains(programs, p => p.File == document);
    }

    [Fact]
    public void A_program_that_does_not_compile_is_reported_at_its_document_line()
    {
        var program = new DocumentProgram("GUIDE.md", 10, "Broken", "using Descent;\n\nConsole.WriteLine(undefinedName);", "");
        var e = Assert.Throws<InvalidOperationException>(() => ProgramRunner.Run(program));
        Assert.Contains("GUIDE.md:13: CS0103", e.Message); // the fence is line 10, so the code's third line is 13
        Assert.Contains("undefinedName", e.Message);
    }

    [Fact]
    public void A_warning_fails_too()
    {
        var program = new DocumentProgram("GUIDE.md", 1, "Nullable", "string? name = null;\nConsole.WriteLine(name.Length);", "");
        var e = Assert.Throws<InvalidOperationException>(() => ProgramRunner.Compile(program));
        Assert.Contains("GUIDE.md:3: CS8602", e.Message);
    }

    [Fact]
    public void A_program_that_throws_is_reported_with_the_exception()
    {
        var program = new DocumentProgram("GUIDE.md", 1, "Throws", "using Descent;\n_ = Tensor.Zeros(2, 3).Item<float>();", "");
        var e = Assert.Throws<InvalidOperationException>(() => ProgramRunner.Run(program));
        Assert.Contains("GUIDE.md:1 (Throws): the program threw InvalidOperationException: Item:", e.Message);
    }

    [Fact]
    public void A_program_s_output_is_captured_and_the_console_restored()
    {
        var before = Console.Out;
        var program = new DocumentProgram("GUIDE.md", 1, "Prints", "Console.WriteLine(\"one\");\nConsole.Write(2.5);", "");
        Assert.Equal("one\n2.5", ProgramRunner.Run(program).ReplaceLineEndings("\n"));
        Assert.Same(before, Console.Out);
    }

    [Theory]
    [InlineData("a = 0.1542, b = 0.197", "a = 0.15418, b = 0.19696")]      // rounding
    [InlineData("Test accuracy: 97.5 %", "Test accuracy: 97.2 %")]          // another machine's last bits
    [InlineData("shape [1, 5]\n", "shape [1, 5]")]                          // trailing blank lines
    public void Output_agrees_when_only_numbers_differ_within_the_tolerance(string shown, string printed) =>
        Assert.Null(ShownOutput.Difference(shown, printed, Tolerance));

    [Theory]
    [InlineData("a = 0.15", "a = 0.20", "line 1: 0.2 was printed where the document shows 0.15")]
    [InlineData("loss 1", "cost 1", "line 1 reads \"cost 1\"; the document shows \"loss 1\"")]
    [InlineData("one\ntwo", "one", "line 2 is shown but was not printed")]
    [InlineData("one", "one\ntwo", "line 2 was printed but is not shown")]
    [InlineData("[0, 3]", "[0.001, 3]", "0.001 was printed where the document shows 0")]
    public void Output_differs_when_words_lines_or_numbers_do(string shown, string printed, string expected) =>
        Assert.Contains(expected, ShownOutput.Difference(shown, printed, Tolerance));

    [Fact]
    public void An_unclosed_code_block_is_an_error_naming_the_line()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-doc-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, "# Title\n\n```csharp\nConsole.WriteLine(1);\n");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => MarkdownPrograms.Read(path, "DOC.md"));
            Assert.Equal("DOC.md:3: the code block never closes.", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Output_blocks_pair_only_with_the_program_right_before_them()
    {
        string path = Path.Combine(Path.GetTempPath(), $"descent-doc-{Guid.NewGuid():N}.md");
        File.WriteAllText(path, "# A\n```csharp\nA();\n```\nprose\n```text\nout A\n```\n# B\n```csharp\nB();\n```\n```\nshell\n```\n```text\nnot B's\n```\n");
        try
        {
            var programs = MarkdownPrograms.Read(path, "DOC.md");
            Assert.Equal(2, programs.Count);
            Assert.Equal(("DOC.md:2", "A", "A();", "out A"), (programs[0].Where, programs[0].Heading, programs[0].Code, programs[0].ShownOutput));
            Assert.Equal(("DOC.md:10", "B", null), (programs[1].Where, programs[1].Heading, programs[1].ShownOutput));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
