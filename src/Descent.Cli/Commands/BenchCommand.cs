using System.CommandLine;
using System.Runtime.Intrinsics;
using Descent.Backends;
using Descent.Backends.Cpu;
using Descent.Cli.Bench;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent bench</c>: the speed cases that bench/peer.py measures for PyTorch.</summary>
internal static class BenchCommand
{
    public static Command Create(CliContext cli)
    {
        var threads = new Option<int>("--threads") { Description = "Threads for the kernels", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cases = new Option<string?>("--cases") { Description = $"Comma-separated cases (default all: {string.Join(",", BenchSuite.Names)})" };
        var memory = new Option<bool>("--memory") { Description = "Also run fit_step_b128 steps and report the pool's allocated, reserved and peak bytes after warm-up and at the end" };
        var memorySteps = new Option<int>("--memory-steps") { Description = "Steps for --memory, the first twentieth of them warm-up", DefaultValueFactory = _ => 10_000 };
        var deviceOption = DeviceChoice.Create();
        deviceOption.Description = $"cpu, or cuda / cuda:N for the GPU cases ({string.Join(",", GpuBench.Names)})";
        var command = new Command("bench", "Measure Descent's speed on the cases the PyTorch peer runs") { threads, cases, memory, memorySteps, deviceOption };
        command.SetAction(parseResult =>
        {
            int n = parseResult.GetValue(threads);
            if (n < 1) throw new ArgumentException($"bench: --threads must be at least 1, got {n}.");
            int steps = parseResult.GetValue(memorySteps);
            if (steps < 20) throw new ArgumentException($"bench: --memory-steps must be at least 20, got {steps}.");
            Parallelism.MaxThreads = n;
            var device = DeviceChoice.Open(parseResult.GetValue(deviceOption)!);
            bool gpu = device.Kind == "cuda";
            var known = gpu ? GpuBench.Names : BenchSuite.Names;
            var names = parseResult.GetValue(cases) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : known;
            foreach (var name in names)
                if (!known.Contains(name))
                    throw new ArgumentException($"bench: unknown case '{name}'{(gpu ? $" on {device}" : "")}; known cases: {string.Join(", ", known)}.");
            if (!gpu && device != Device.Cpu)
                throw new ArgumentException($"bench: --device takes cpu or cuda[:N]; the cases do not run on {device}.");
            var results = names.Select(name => gpu ? GpuBench.Run(name, device) : BenchSuite.Run(name)).Select(c => c with { Value = Math.Round(c.Value, 4) }).ToList();
            var report = parseResult.GetValue(memory) ? MemoryProbe.Run(device, steps, warmup: steps / 20) : null;
            string runner = $"descent {typeof(Tensor).Assembly.GetName().Version} (.NET {Environment.Version}, {(Vector512.IsHardwareAccelerated ? "AVX-512" : Vector256.IsHardwareAccelerated ? "AVX2" : "scalar")}), " +
                (gpu ? $"{device}: {Descent.Cuda.CudaDevices.Describe(device)}" : $"{n} threads");
            if (cli.IsJson(parseResult))
            {
                cli.WriteJson(new { runner, cases = results, memory = report });
                return 0;
            }
            var table = new Table().AddColumns("case", "value", "unit", "better");
            foreach (var c in results) table.AddRow(c.Name, c.Value.ToString("G6"), c.Unit, c.Better);
            cli.Console.MarkupLine($"[bold]{Markup.Escape(runner)}[/]");
            cli.Console.Write(table);
            if (report is not null)
                cli.Console.MarkupLine($"memory on {report.Device}, {report.Steps} {FitStep.Name} steps allocating {MiB(report.BytesPerStep)} each: " +
                    $"after {report.WarmupSteps} warm-up steps {Describe(report.Warmup)}; at the end {Describe(report.End)} (peak since warm-up); " +
                    $"gen-2 collections after warm-up: {report.Gen2CollectionsAfterWarmup} (gen-0: {report.Gen0CollectionsAfterWarmup})");
            return 0;
        });
        return command;
    }

    private static string Describe(MemoryStats m) =>
        $"allocated {MiB(m.AllocatedBytes)}, reserved {MiB(m.ReservedBytes)}, peak {MiB(m.PeakAllocatedBytes)}";

    private static string MiB(long bytes) => $"{bytes / 1048576.0:F1} MiB";
}
