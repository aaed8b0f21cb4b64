using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Descent.GpuCheck;

/// <summary>
/// <c>Descent.GpuCheck tests [--device NAME] [--json FILE] [--assemblies A,B]</c> runs the test cases of the
/// device-axis suites whose Device trait is NAME (default cuda), plus every test of Descent.Cuda.Tests, and prints
/// "N passed, M failed, K skipped"; <c>Descent.GpuCheck descent ARGS</c> is the descent CLI.
/// </summary>
public static class Program
{
    private static readonly string[] DefaultAssemblies = ["Descent.Tests", "Descent.Nn.Tests", "Descent.Cuda.Tests"];

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "descent") return Descent.Cli.Program.Main(args[1..]);
        if (args.Length > 0 && args[0] == "tests") return RunTests(args[1..]);
        if (args.Length > 0 && args[0] == "device") return Describe(args.Length > 1 ? args[1] : "cuda");
        Console.Error.WriteLine("usage: Descent.GpuCheck tests [--device cuda] [--json FILE] [--assemblies A,B] | device [cuda:N] | descent ARGS");
        return 2;
    }

    /// <summary>Opens the device and says what it is and where its libraries came from; exit 1 with the reason when it does not open.</summary>
    private static int Describe(string name)
    {
        try
        {
            var device = Device.Parse(name);
            Console.WriteLine($"{device}: {Descent.Cuda.CudaDevices.Describe(device)}");
            var x = Tensor.FromArray(new[] { 1f, 2f, 3f }, [3], device);
            Console.WriteLine($"(x + 1).Sum() on {device} = {(x + 1).Sum().Item<float>()} (expected 9)");
            return 0;
        }
        catch (Exception e)
        {
            Console.WriteLine($"{name} does not open: {e}");
            return 1;
        }
    }

    private static int RunTests(string[] args)
    {
        string device = Option(args, "--device") ?? "cuda";
        string? json = Option(args, "--json");
        var assemblies = Option(args, "--assemblies")?.Split(',') ?? DefaultAssemblies;
        string filter = Option(args, "--filter") ?? ""; // a part of the display name, to run a few classes
        string? skip = Option(args, "--skip");           // a part of the display name, to leave some out
        var results = new List<TestResult>();
        var clock = Stopwatch.StartNew();
        // Each result is also appended to FILE.jsonl as it comes, so a run cut short by a time limit still says what ran.
        using var stream = json is null ? null : new StreamWriter(Path.ChangeExtension(json, ".jsonl")) { AutoFlush = true };
        foreach (var name in assemblies)
        {
            var assembly = Assembly.Load(name);
            // Descent.Cuda.Tests has no device axis: all of it runs. The suites run only their copies for the device.
            Func<ITestCase, bool> onDevice = name == "Descent.Cuda.Tests"
                ? _ => true
                : c => c.Traits.TryGetValue("Device", out var values) && values.Contains(device);
            Func<ITestCase, bool> keep = c => onDevice(c) && c.DisplayName.Contains(filter, StringComparison.Ordinal)
                && (skip is null || !c.DisplayName.Contains(skip, StringComparison.Ordinal));
            results.AddRange(Run(assembly, keep, stream));
        }
        int passed = results.Count(r => r.Outcome == "passed"), failed = results.Count(r => r.Outcome == "failed"), skipped = results.Count(r => r.Outcome == "skipped");
        foreach (var failure in results.Where(r => r.Outcome == "failed"))
            Console.WriteLine($"FAILED {failure.Name}: {failure.Message}");
        foreach (var entry in results.Where(r => r.Outcome == "skipped").Take(20))
            Console.WriteLine($"skipped {entry.Name}: {Shorten(entry.Message)}");
        Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped ({clock.Elapsed.TotalSeconds:F1} s)");
        if (json is not null)
            File.WriteAllText(json, JsonSerializer.Serialize(new { device, passed, failed, skipped, seconds = clock.Elapsed.TotalSeconds, results },
                new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static string Shorten(string? text) => text is null ? "" : text.Length <= 240 ? text : text[..240] + "…";

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>Discovers with the assembly's own test framework (its [TestFramework] attribute), then runs the kept cases.</summary>
    private static List<TestResult> Run(Assembly assembly, Func<ITestCase, bool> keep, StreamWriter? stream)
    {
        var sink = new Sink(stream);
        var framework = CreateFramework(assembly, sink);
        var options = new Options();
        using (var discoverer = framework.GetDiscoverer(Reflector.Wrap(assembly)))
        {
            discoverer.Find(includeSourceInformation: false, sink, options);
            sink.DiscoveryDone.WaitOne();
        }
        var cases = sink.Discovered.Where(keep).ToList();
        Console.WriteLine($"{assembly.GetName().Name}: {cases.Count} test cases of {sink.Discovered.Count}");
        if (cases.Count == 0) return [];
        using (var executor = framework.GetExecutor(assembly.GetName()))
        {
            executor.RunTests(cases, sink, options);
            sink.ExecutionDone.WaitOne();
        }
        return sink.Results;
    }

    private static ITestFramework CreateFramework(Assembly assembly, IMessageSink sink)
    {
        var attribute = assembly.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "Xunit.TestFrameworkAttribute");
        var type = attribute is null
            ? typeof(XunitTestFramework)
            : Type.GetType($"{attribute.ConstructorArguments[0].Value}, {attribute.ConstructorArguments[1].Value}", throwOnError: true)!;
        return (ITestFramework)Activator.CreateInstance(type, sink)!;
    }

    /// <summary>One test's outcome, as the JSON report lists it.</summary>
    public sealed record TestResult(string Name, string Outcome, double Seconds, string? Message);

    /// <summary>Collects discovery and execution messages (from many threads) and signals the ends.</summary>
    private sealed class Sink(StreamWriter? stream) : Xunit.LongLivedMarshalByRefObject, IMessageSink
    {
        public List<ITestCase> Discovered { get; } = [];
        public List<TestResult> Results { get; } = [];
        public ManualResetEvent DiscoveryDone { get; } = new(false);
        public ManualResetEvent ExecutionDone { get; } = new(false);

        public bool OnMessage(IMessageSinkMessage message)
        {
            lock (this)
            {
                int before = Results.Count;
                switch (message)
                {
                    case ITestCaseDiscoveryMessage found: Discovered.Add(found.TestCase); break;
                    case IDiscoveryCompleteMessage: DiscoveryDone.Set(); break;
                    case ITestPassed passed: Results.Add(new(passed.Test.DisplayName, "passed", (double)passed.ExecutionTime, null)); break;
                    case ITestFailed failed:
                        Results.Add(new(failed.Test.DisplayName, "failed", (double)failed.ExecutionTime,
                            string.Join(" | ", failed.ExceptionTypes.Zip(failed.Messages, (t, m) => $"{t}: {m}")) + "\n" + string.Join("\n", failed.StackTraces.Where(s => s != null))));
                        break;
                    case ITestSkipped skipped: Results.Add(new(skipped.Test.DisplayName, "skipped", 0, skipped.Reason)); break;
                    case IErrorMessage error: Results.Add(new("(error outside a test)", "failed", 0, string.Join(" | ", error.Messages))); break;
                    case ITestAssemblyFinished: ExecutionDone.Set(); break;
                }
                if (stream is not null && Results.Count > before) stream.WriteLine(JsonSerializer.Serialize(Results[^1]));
            }
            return true;
        }
    }

    /// <summary>Discovery and execution options with xunit's defaults (parallel test collections, no source information).</summary>
    private sealed class Options : ITestFrameworkDiscoveryOptions, ITestFrameworkExecutionOptions
    {
        private readonly Dictionary<string, object?> _values = [];

        public TValue GetValue<TValue>(string name) => _values.TryGetValue(name, out var v) && v is TValue t ? t : default!;

        public void SetValue<TValue>(string name, TValue value) => _values[name] = value;
    }
}
