namespace Descent.Optimizers;

/// <summary>
/// Adam, in PyTorch's form (torch.optim.Adam), per variable with its own step count t:
/// g ← g + λw (L2 weight decay); m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; (AMSGrad: v̂max ← max(v̂max, v) used for v);
/// w ← w − (lr / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε).
/// </summary>
/// <remarks>
/// Keras differs in where ε goes: it adds ε to √v before the bias correction of v (its ε̂ = ε·√(1−β₂ᵗ)), and its default
/// ε is 1e-7. This class follows PyTorch, defaults included (ε = 1e-8). Keras's Adam has no L2 weight decay; PyTorch's does.
/// </remarks>
public class Adam : Optimizer
{
    private readonly bool _decoupled;

    /// <summary>Creates the optimizer; <paramref name="weightDecay"/> is L2 regularisation added to the gradient.</summary>
    public Adam(double learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, bool amsgrad = false, double weightDecay = 0)
        : this(nameof(Adam), learningRate, beta1, beta2, epsilon, amsgrad, weightDecay, decoupled: false) { }

    private protected Adam(string owner, double learningRate, double beta1, double beta2, double epsilon, bool amsgrad, double weightDecay, bool decoupled)
        : base(learningRate)
    {
        Beta1 = HyperparameterCheck.UnitInterval(owner, nameof(beta1), beta1);
        Beta2 = HyperparameterCheck.UnitInterval(owner, nameof(beta2), beta2);
        Epsilon = HyperparameterCheck.Positive(owner, nameof(epsilon), epsilon);
        WeightDecay = HyperparameterCheck.NonNegative(owner, nameof(weightDecay), weightDecay);
        Amsgrad = amsgrad;
        _decoupled = decoupled;
    }

    /// <summary>Decay of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }
    /// <summary>Decay of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; }
    /// <summary>Added to the bias-corrected √v for stability.</summary>
    public double Epsilon { get; }
    /// <summary>Whether the running maximum of v is used (AMSGrad).</summary>
    public bool Amsgrad { get; }
    /// <summary>L2 coefficient λ for Adam; the decoupled decay rate for AdamW.</summary>
    public double WeightDecay { get; }

    // Separate buffers: the fused step writes m, v and vMax in place, so a save copies them and a load copies into them.
    private sealed class Moments(Adam owner, Variable variable) : ISlots
    {
        public long Step;
        public readonly Tensor M = Tensor.ZerosLike(variable), V = Tensor.ZerosLike(variable);
        public readonly Tensor? VMax = owner.Amsgrad ? Tensor.ZerosLike(variable) : null;

        public IEnumerable<(string Slot, Tensor Value)> Save() => VMax is { } vMax
            ? [("step", Tensor.Scalar(Step)), ("m", M.Clone()), ("v", V.Clone()), ("vmax", vMax.Clone())]
            : [("step", Tensor.Scalar(Step)), ("m", M.Clone()), ("v", V.Clone())];

        public void Load(string slot, Tensor value)
        {
            switch (slot)
            {
                case "step": Step = value.Item<long>(); break;
                case "m": Overwrite(M, value); break;
                case "v": Overwrite(V, value); break;
                case "vmax" when VMax is not null: Overwrite(VMax, value); break;
                default: throw owner.UnknownSlot(slot);
            }
        }

        private static void Overwrite(Tensor buffer, Tensor value) =>
            value.Backend.Copy(value.Storage, value.Layout, buffer.Storage, buffer.Layout);
    }

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient, double learningRate)
    {
        var s = State(variable, () => new Moments(this, variable));
        s.Step++;
        variable.CheckSameDevice("Adam", gradient);
        var g = gradient.Contiguous();
        var args = new Backends.AdamStepArgs(
            Beta1, Beta2,
            StepSize: learningRate / (1 - Math.Pow(Beta1, s.Step)),
            Correction2: Math.Sqrt(1 - Math.Pow(Beta2, s.Step)),
            Epsilon,
            L2: _decoupled ? 0 : WeightDecay,
            DecayFactor: _decoupled && WeightDecay > 0 ? 1 - learningRate * WeightDecay : 1);
        variable.Backend.AdamStep(variable.Storage, variable.Layout, g.Storage, g.Layout, s.M.Storage, s.V.Storage, s.VMax?.Storage, args);
    }
}
