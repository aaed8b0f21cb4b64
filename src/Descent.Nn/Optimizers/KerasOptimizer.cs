using Descent.Optimizers;

namespace Descent.Nn.Optimizers;

/// <summary>
/// The base of the Nn optimizers: a core <see cref="Optimizer"/> plus Keras's optimizer options — a learning-rate
/// <see cref="Schedule"/> and gradient clipping by <see cref="ClipValue"/>, <see cref="ClipNorm"/> (per tensor) or
/// <see cref="GlobalClipNorm"/> (over all gradients of a step). At most one clipping option may be set, as in Keras 3.
/// Clipping acts on the raw gradient, before any weight decay the update rule adds.
/// </summary>
/// <remarks>
/// Core's <c>ApplyGradients</c> is not virtual, so global-norm clipping lives in the <c>ApplyGradients</c> methods this
/// class redeclares. Calling them through a reference typed as the core <see cref="Optimizer"/> would skip the clipping,
/// so with <see cref="GlobalClipNorm"/> set that path throws <see cref="InvalidOperationException"/> instead.
/// </remarks>
public abstract class KerasOptimizer : Optimizer
{
    private bool _inApply;

    /// <summary>Creates the optimizer with a fixed learning rate (used when no <see cref="Schedule"/> is set).</summary>
    protected KerasOptimizer(double learningRate) : base(learningRate) { }

    /// <summary>When set, the learning rate of each step is <c>Schedule.At(Iterations)</c> and <see cref="Optimizer.LearningRate"/> is ignored.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>Keras's clipvalue: each gradient element limited to [−ClipValue, ClipValue].</summary>
    public double? ClipValue
    {
        get;
        set => field = CheckClip(nameof(ClipValue), value, ClipNorm, GlobalClipNorm);
    }

    /// <summary>Keras's clipnorm: each gradient tensor rescaled so its L2 norm is at most ClipNorm.</summary>
    public double? ClipNorm
    {
        get;
        set => field = CheckClip(nameof(ClipNorm), value, ClipValue, GlobalClipNorm);
    }

    /// <summary>Keras's global_clipnorm: all gradients of a step rescaled together so their global L2 norm is at most GlobalClipNorm.</summary>
    public double? GlobalClipNorm
    {
        get;
        set => field = CheckClip(nameof(GlobalClipNorm), value, ClipValue, ClipNorm);
    }

    /// <summary>The learning rate the next step will use (the schedule's value when there is one).</summary>
    public double CurrentRate => CurrentLearningRate();

    /// <inheritdoc/>
    protected sealed override double CurrentLearningRate() => Schedule?.At(Iterations) ?? LearningRate;

    /// <summary>Clips the gradients as configured, then updates each variable; a null gradient leaves its variable alone.</summary>
    public new void ApplyGradients(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (GlobalClipNorm is { } maxNorm)
        {
            if (gradients.Count != variables.Count)
                throw new ArgumentException($"{GetType().Name}.ApplyGradients: {gradients.Count} gradients for {variables.Count} variables.");
            gradients = GradientClipping.ByGlobalNorm(gradients, maxNorm).Clipped;
        }
        _inApply = true;
        try { base.ApplyGradients(gradients, variables); }
        finally { _inApply = false; }
    }

    /// <summary>TensorFlow's form: pairs of (gradient, variable).</summary>
    public new void ApplyGradients(IEnumerable<(Tensor? Gradient, Variable Variable)> gradsAndVars)
    {
        ArgumentNullException.ThrowIfNull(gradsAndVars);
        var pairs = gradsAndVars.ToList();
        ApplyGradients(pairs.ConvertAll(p => p.Gradient), pairs.ConvertAll(p => p.Variable));
    }

    /// <inheritdoc/>
    protected sealed override void Update(Variable variable, Tensor gradient, double learningRate)
    {
        if (GlobalClipNorm is not null && !_inApply)
            throw new InvalidOperationException(
                $"{GetType().Name}: GlobalClipNorm is set, so call ApplyGradients on the {GetType().Name} (or a KerasOptimizer reference); " +
                "the core Optimizer.ApplyGradients cannot see all gradients at once and would skip the clipping.");
        if (ClipNorm is { } n) gradient = GradientClipping.ByNorm(gradient, n);
        else if (ClipValue is { } c) gradient = gradient.Clip(-c, c);
        Step(variable, gradient, learningRate);
    }

    /// <summary>Applies the update rule to one variable with its (clipped) gradient. Runs with recording suspended.</summary>
    protected abstract void Step(Variable variable, Tensor gradient, double learningRate);

    private double? CheckClip(string name, double? value, double? other1, double? other2)
    {
        if (value is { } v) Check.Positive(GetType().Name, name, v);
        if (value is not null && (other1 is not null || other2 is not null))
            throw new ArgumentException($"{GetType().Name}: only one of ClipValue, ClipNorm and GlobalClipNorm can be set (as in Keras); {name} was set after another.", name);
        return value;
    }
}
