namespace Descent.Cli.Training;

/// <summary>One input row's prediction: its 1-based data row, the most probable class (name and label) and every class's probability.</summary>
internal sealed record Prediction(int Row, string Class, int Label, double[] Probabilities, string? TrueClass);
