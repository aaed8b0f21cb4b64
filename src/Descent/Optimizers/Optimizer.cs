namespace Descent.Optimizers;

/// <summary>
/// A per-variable update rule plus its state. <see cref="ApplyGradients(IReadOnlyList{Tensor?}, IReadOnlyList{Variable})"/>
/// updates each variable in place, skips null gradients and counts <see cref="Iterations"/>.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Variable, object> _state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates an optimizer with a fixed learning rate.</summary>
    protected Optimizer(double learningRate)
    {
        LearningRate = learningRate;
    }

    /// <summary>The step size.</summary>
    public double LearningRate
    {
        get;
        set => field = value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(nameof(LearningRate), value, $"{GetType().Name}: the learning rate must be positive and finite.");
    }

    /// <summary>How many times <c>ApplyGradients</c> has run (TensorFlow's optimizer.iterations).</summary>
    public long Iterations { get; private set; }

    /// <summary>The learning rate used by the step about to run; schedules override this.</summary>
    protected virtual double CurrentLearningRate() => LearningRate;

    /// <summary>Updates each variable with its gradient; a null gradient leaves that variable alone.</summary>
    public void ApplyGradients(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException($"{GetType().Name}.ApplyGradients: {gradients.Count} gradients for {variables.Count} variables.");
        double lr = CurrentLearningRate();
        using (GradientTape.Suspend())
        {
            for (int i = 0; i < variables.Count; i++)
            {
                var g = gradients[i];
                if (g is null) continue;
                var v = variables[i];
                if (!ShapeUtil.SameShape(g.Dims, v.Dims))
                    throw new ArgumentException($"{GetType().Name}.ApplyGradients: gradient shape {ShapeUtil.Format(g.Dims)} does not match variable '{v.Name}' of shape {ShapeUtil.Format(v.Dims)}.");
                Update(v, g.DType == v.DType ? g : g.Cast(v.DType), lr);
            }
        }
        Iterations++;
    }

    /// <summary>TensorFlow's form: pairs of (gradient, variable).</summary>
    public void ApplyGradients(IEnumerable<(Tensor? Gradient, Variable Variable)> gradsAndVars)
    {
        var pairs = gradsAndVars.ToList();
        ApplyGradients(pairs.Select(p => p.Gradient).ToList(), pairs.Select(p => p.Variable).ToList());
    }

    /// <summary>Applies one step to <paramref name="variable"/>. Runs with recording suspended.</summary>
    protected abstract void Update(Variable variable, Tensor gradient, double learningRate);

    /// <summary>The per-variable state, created on first use.</summary>
    protected TState State<TState>(Variable variable, Func<TState> create) where TState : class
    {
        if (!_state.TryGetValue(variable, out var s)) _state[variable] = s = create();
        return (TState)s;
    }
}
