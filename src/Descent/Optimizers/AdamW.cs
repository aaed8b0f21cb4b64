namespace Descent.Optimizers;

/// <summary>
/// AdamW (Loshchilov and Hutter), in PyTorch's form (torch.optim.AdamW): first w ← w · (1 − lr·λ), decoupled from the
/// gradient, then the <see cref="Adam"/> step without L2 decay. The default λ is PyTorch's 0.01.
/// </summary>
/// <remarks>
/// Keras's AdamW decays the same way (w ← w − lr·λ·w) but takes its ε inside the bias correction as Keras's Adam does,
/// and defaults to λ = 0.004 and ε = 1e-7. This class follows PyTorch. Keras and PyTorch both list the weight decay
/// before AdamW's other options; here it comes after them, where <see cref="Adam"/> has it too.
/// </remarks>
public sealed class AdamW : Adam
{
    /// <summary>
    /// Creates the optimizer. The parameters come in <see cref="Adam"/>'s order, so switching between the two changes only
    /// the class name; only the default of <paramref name="weightDecay"/> differs.
    /// </summary>
    public AdamW(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool amsgrad = false, double weightDecay = 0.01)
        : base(nameof(AdamW), learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, decoupled: true) { }
}
