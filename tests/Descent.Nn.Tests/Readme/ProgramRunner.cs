using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Descent.Nn.Tests.Readme;

/// <summary>
/// Compiles a document's program as `dotnet new console` would (C# latest, nullable on, the SDK's implicit usings,
/// a reference to Descent.Nn and what it brings), runs it in this process and returns what it printed. A compiler
/// warning or error, or an exception from the program, fails with the document line it comes from.
/// </summary>
internal static class ProgramRunner
{
    // What Microsoft.NET.Sdk's ImplicitUsings adds to a console project; a program shows every other using line.
    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    // A project referencing the Descent.Nn package compiles against it, Descent and their dependencies.
    private static readonly string[] PackageAssemblies =
        ["Descent.dll", "Descent.Nn.dll", "System.Numerics.Tensors.dll", "CsvHelper.dll", "Spectre.Console.dll"];

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        string framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetDirectoryName(p) == framework || PackageAssemblies.Contains(Path.GetFileName(p)))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray();
    });

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    /// <summary>Compiles and runs <paramref name="program"/>; returns its standard output.</summary>
    public static string Run(DocumentProgram program)
    {
        var image = Compile(program);
        var context = new AssemblyLoadContext(program.Where, isCollectible: true);
        var previous = Console.Out;
        var printed = new StringWriter();
        try
        {
            var entry = context.LoadFromStream(image).EntryPoint
                ?? throw new InvalidOperationException($"{program.Where}: the program has no entry point (no top-level statements).");
            Console.SetOut(printed);
            var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [Array.Empty<string>()]);
            if (result is Task task) task.GetAwaiter().GetResult();
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            throw new InvalidOperationException($"{program.Where} ({program.Heading}): the program threw {thrown.GetType().Name}: {thrown.Message}", thrown);
        }
        finally
        {
            Console.SetOut(previous);
            context.Unload();
        }
        return printed.ToString();
    }

    /// <summary>The program's assembly; any warning or error is an InvalidOperationException naming the document line.</summary>
    public static MemoryStream Compile(DocumentProgram program)
    {
        var compilation = CSharpCompilation.Create(
            "DocumentProgram",
            [CSharpSyntaxTree.ParseText(ImplicitUsings, Parse), CSharpSyntaxTree.ParseText(program.Code, Parse, path: program.File)],
            References.Value,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable)
                // The SDK's own NoWarn: assembly-version unification notes, not problems in the code.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
        var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var problems = emitted.Diagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Select(d => $"{program.File}:{program.DocumentLine(d.Location.GetLineSpan().StartLinePosition.Line)}: {d.Id} {d.GetMessage()}")
            .ToList();
        if (problems.Count > 0)
            throw new InvalidOperationException($"{program.Where} ({program.Heading}) does not compile cleanly:\n{string.Join('\n', problems)}");
        image.Position = 0;
        return image;
    }
}
