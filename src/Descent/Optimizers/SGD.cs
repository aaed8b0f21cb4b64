namespace Descent.Optimizers;

/// <summary>
/// Stochastic gradient descent, with optional momentum, Nesterov momentum and L2 weight decay, in PyTorch's
/// form: g ← g + λw; v ← μv + g; w ← w − lr·v (Nesterov: w ← w − lr·(g + μv)). With a constant learning
/// rate this is the same trajectory as Keras's v ← μv − lr·g; w ← w + v.
/// </summary>
public sealed class SGD : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    public SGD(double learningRate = 0.01, double momentum = 0, bool nesterov = false, double weightDecay = 0) : base(learningRate)
    {
        if (momentum < 0 || !double.IsFinite(momentum)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "SGD: momentum must be non-negative.");
        if (weightDecay < 0 || !double.IsFinite(weightDecay)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "SGD: weight decay must be non-negative.");
        if (nesterov && momentum == 0) throw new ArgumentException("SGD: Nesterov momentum needs a positive momentum.");
        Momentum = momentum;
        Nesterov = nesterov;
        WeightDecay = weightDecay;
    }

    /// <summary>μ, the fraction of the previous velocity kept each step; 0 for plain SGD.</summary>
    public double Momentum { get; }

    /// <summary>Whether the step looks ahead along the velocity (Nesterov momentum).</summary>
    public bool Nesterov { get; }

    /// <summary>λ, the L2 penalty added to each gradient as λw; 0 for none.</summary>
    public double WeightDecay { get; }

    /// <inheritdoc/>
    protected override void Update(Variable variable, Tensor gradient, double learningRate)
    {
        var g = WeightDecay > 0 ? gradient + variable * WeightDecay : gradient;
        if (Momentum == 0)
        {
            variable.AssignAdd(g, -learningRate);
            return;
        }
        var velocity = State(variable, () => new Velocity(this, new Variable(Tensor.ZerosLike(variable), variable.Name + "/momentum", trainable: false))).Value;
        velocity.Assign(velocity * Momentum + g);
        variable.AssignAdd(Nesterov ? g + velocity * Momentum : velocity, -learningRate);
    }

    private sealed class Velocity(SGD owner, Variable value) : ISlots
    {
        public Variable Value { get; } = value;

        public IEnumerable<(string Slot, Tensor Value)> Save() => [("momentum", Value.StopGradient().Clone())]; // a copy: the variable changes in place

        public void Load(string slot, Tensor value)
        {
            if (slot != "momentum") throw owner.UnknownSlot(slot);
            Value.Assign(value);
        }
    }
}
