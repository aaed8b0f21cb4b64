namespace Descent.Cli.Demos;

/// <summary>One row of the batch and its loss.</summary>
/// <param name="Values">The row as given: logits or probabilities.</param>
/// <param name="Clipped">Probabilities clipped to [ε, 1 − ε]; null for logits.</param>
/// <param name="Probabilities">The distribution the loss scores: softmax of the logits, or the clipped
/// probabilities divided by their sum.</param>
/// <param name="PTrue">Its entry for the true class.</param>
/// <param name="Loss">−log(<paramref name="PTrue"/>), computed as −log_softmax so it stays finite.</param>
internal sealed record BatchLossSample(int Label, float[] Values, float[]? Clipped, float[] Probabilities, float PTrue, float Loss);
