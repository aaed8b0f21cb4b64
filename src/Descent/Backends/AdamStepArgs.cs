namespace Descent.Backends;

/// <summary>
/// The scalars of one fused Adam step (<see cref="IBackend.AdamStep"/>), each rounded to the tensors' dtype by the
/// backend exactly where the unfused formula in <see cref="Optimizers.Adam"/> would round it.
/// </summary>
/// <param name="Beta1">β₁, the decay of m.</param>
/// <param name="Beta2">β₂, the decay of v.</param>
/// <param name="StepSize">lr / (1 − β₁ᵗ).</param>
/// <param name="Correction2">√(1 − β₂ᵗ).</param>
/// <param name="Epsilon">ε, added to the bias-corrected √v.</param>
/// <param name="L2">λ of Adam's L2 weight decay (g ← g + λw); 0 for none.</param>
/// <param name="DecayFactor">AdamW's decoupled decay 1 − lr·λ, applied to w first; 1 for none.</param>
public readonly record struct AdamStepArgs(double Beta1, double Beta2, double StepSize, double Correction2, double Epsilon, double L2, double DecayFactor);
