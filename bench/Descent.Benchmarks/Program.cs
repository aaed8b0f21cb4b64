using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Descent.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Descent.Benchmarks.KernelBenchmarks).Assembly).Run(args);
