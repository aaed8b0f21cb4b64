namespace Descent.Optimizers;

/// <summary>
/// Adagrad, in PyTorch's form (torch.optim.Adagrad): s ← s + g²; w ← w − lr · g / (√s + ε), with s starting at
/// <see cref="InitialAccumulatorValue"/>.
/// </summary>
/// <remarks>
/// Keras puts ε inside the square root (√(s + ε)) and defaults to lr = 0.001, an initial accumulator of 0.1 and ε = 1e-7;
/// this class follows PyTorch, defaults included (lr = 0.01, 0, ε = 1e-10).
/// </remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public Adagrad(double learningRate = 0.01, double initialAccumulatorValue = 0, double epsilon = 1e-10) : base(learningRate)
    {
        InitialAccumulatorValue = HyperparameterCheck.NonNegative(nameof(Adagrad), nameof(initialAccumulatorValue), initialAccumulatorValue);
        Epsilon = HyperparameterCheck.Positive(nameof(Adagrad), nameof(epsilon), epsilon);
    }

    /// <summary>Starting value of the squared-gradient sum.</summary>
    public double InitialAccumulatorValue { get; }
    /// <summary>Added to √s for stability.</summary>
    public double Epsilon { get; }

    private sealed class Accumulator(Adagrad owner, Tensor initial) : ISlots
    {
        public Tensor Sum = initial;

        public IEnumerable<(string Slot, Tensor Value)> Save() => [("sum", Sum)];

        public void Load(string slot, Tensor value) => Sum = slot == "sum" ? value : throw owner.UnknownSlot(slot);
    }

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient, double learningRate)
    {
        var s = State(variable, () => new Accumulator(this, Tensor.ZerosLike(variable) + InitialAccumulatorValue));
        s.Sum += gradient.Square();
        variable.AssignSub(gradient / (s.Sum.Sqrt() + Epsilon) * learningRate);
    }
}
