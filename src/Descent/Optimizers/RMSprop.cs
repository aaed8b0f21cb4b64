namespace Descent.Optimizers;

/// <summary>
/// RMSprop, in PyTorch's form (torch.optim.RMSprop, where ρ is called alpha):
/// s ← ρs + (1−ρ)g²; centered: ḡ ← ρḡ + (1−ρ)g and d = √(s − ḡ²) + ε, else d = √s + ε;
/// with momentum μ: b ← μb + g/d, w ← w − lr·b; without: w ← w − lr·g/d.
/// </summary>
/// <remarks>
/// Keras puts ε inside the square root (√(s + ε)) and defaults to lr = 0.001, ρ = 0.9, ε = 1e-7; this class follows
/// PyTorch, defaults included (lr = 0.01, ρ = 0.99, ε = 1e-8).
/// </remarks>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public RMSprop(double learningRate = 0.01, double rho = 0.99, double momentum = 0, double epsilon = 1e-8, bool centered = false)
        : base(learningRate)
    {
        Rho = HyperparameterCheck.UnitInterval(nameof(RMSprop), nameof(rho), rho);
        Momentum = HyperparameterCheck.UnitInterval(nameof(RMSprop), nameof(momentum), momentum);
        Epsilon = HyperparameterCheck.Positive(nameof(RMSprop), nameof(epsilon), epsilon);
        Centered = centered;
    }

    /// <summary>Decay of the squared-gradient average (PyTorch's alpha).</summary>
    public double Rho { get; }
    /// <summary>Momentum μ applied to the normalised step; 0 for none.</summary>
    public double Momentum { get; }
    /// <summary>Added to the root-mean-square for stability.</summary>
    public double Epsilon { get; }
    /// <summary>Whether the gradient variance (centred) is used instead of the raw second moment.</summary>
    public bool Centered { get; }

    private sealed class Averages(RMSprop owner, Tensor zeros) : ISlots
    {
        public Tensor Square = zeros, Mean = zeros, Buffer = zeros;

        public IEnumerable<(string Slot, Tensor Value)> Save()
        {
            yield return ("square_avg", Square);
            if (owner.Centered) yield return ("grad_avg", Mean);
            if (owner.Momentum > 0) yield return ("momentum_buffer", Buffer);
        }

        public void Load(string slot, Tensor value)
        {
            switch (slot)
            {
                case "square_avg": Square = value; break;
                case "grad_avg" when owner.Centered: Mean = value; break;
                case "momentum_buffer" when owner.Momentum > 0: Buffer = value; break;
                default: throw owner.UnknownSlot(slot);
            }
        }
    }

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient, double learningRate)
    {
        var s = State(variable, () => new Averages(this, Tensor.ZerosLike(variable)));
        s.Square = s.Square * Rho + gradient.Square() * (1 - Rho);
        Tensor denominator;
        if (Centered)
        {
            s.Mean = s.Mean * Rho + gradient * (1 - Rho);
            denominator = (s.Square - s.Mean.Square()).Sqrt() + Epsilon;
        }
        else denominator = s.Square.Sqrt() + Epsilon;
        if (Momentum > 0)
        {
            s.Buffer = s.Buffer * Momentum + gradient / denominator;
            variable.AssignSub(s.Buffer * learningRate);
        }
        else variable.AssignSub(gradient / denominator * learningRate);
    }
}
