namespace Descent.Cli.Bench;

/// <summary>One measured case, in the schema the PyTorch peer (bench/peer.py) prints.</summary>
internal sealed record BenchCase(string Name, double Value, string Unit, string Better);
