namespace Descent.Optimizers;

/// <summary>
/// A per-variable update rule plus its state, with Keras's optimizer options: a learning-rate
/// <see cref="Schedule"/> and gradient clipping by <see cref="ClipValue"/>, <see cref="ClipNorm"/> (per tensor)
/// or <see cref="GlobalClipNorm"/> (over all gradients of a step; at most one clipping option, as in Keras 3).
/// Clipping acts on the raw gradient, before any weight decay the rule adds. <see cref="ApplyGradients(IReadOnlyList{Tensor?}, IReadOnlyList{Variable})"/>
/// updates each variable in place, skips null gradients and counts <see cref="Iterations"/>.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<Variable, (ISlots State, Device Device)> _state = new(ReferenceEqualityComparer.Instance);

    // State restored by SetState for variables that have not stepped since: applied when their state is created.
    private readonly Dictionary<Variable, List<(string Slot, Tensor Value)>> _restored = new(ReferenceEqualityComparer.Instance);

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

    /// <summary>When set, each step's learning rate is <c>Schedule.At(Iterations)</c> and <see cref="LearningRate"/> is ignored.</summary>
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
    public double CurrentRate => Schedule?.At(Iterations) ?? LearningRate;

    /// <summary>Updates each variable with its gradient; a null gradient leaves that variable alone.</summary>
    public void ApplyGradients(IReadOnlyList<Tensor?> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException($"{GetType().Name}.ApplyGradients: {gradients.Count} gradients for {variables.Count} variables.");
        for (int i = 0; i < variables.Count; i++)
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(variables[i], variables[j]))
                    throw new ArgumentException($"{GetType().Name}.ApplyGradients: variable '{variables[i].Name}' appears twice (positions {j} and {i}); it would be updated twice.");
        double lr = CurrentRate;
        using (GradientTape.Suspend())
        {
            if (GlobalClipNorm is { } maxNorm) gradients = GradientClipping.ByGlobalNorm(gradients, maxNorm).Clipped;
            for (int i = 0; i < variables.Count; i++)
            {
                var g = gradients[i];
                if (g is null) continue;
                var v = variables[i];
                if (!ShapeUtil.SameShape(g.Dims, v.Dims))
                    throw new ArgumentException($"{GetType().Name}.ApplyGradients: gradient shape {ShapeUtil.Format(g.Dims)} does not match variable '{v.Name}' of shape {ShapeUtil.Format(v.Dims)}.");
                if (g.DType != v.DType) g = g.Cast(v.DType);
                if (ClipNorm is { } n) g = GradientClipping.ByNorm(g, n);
                else if (ClipValue is { } c) g = g.Clip(-c, c);
                Update(v, g, lr);
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

    private double? CheckClip(string name, double? value, double? other1, double? other2)
    {
        if (value is { } v && !(v > 0 && double.IsFinite(v)))
            throw new ArgumentOutOfRangeException(name, v, $"{GetType().Name}: {name} must be positive and finite, got {v}.");
        if (value is not null && (other1 is not null || other2 is not null))
            throw new ArgumentException($"{GetType().Name}: only one of ClipValue, ClipNorm and GlobalClipNorm can be set (as in Keras); {name} was set after another.", name);
        return value;
    }

    /// <summary>
    /// The per-variable state, created on first use on the variable's device (create must build it there); state
    /// restored by <see cref="SetState"/> for the variable is loaded into it then.
    /// </summary>
    protected TState State<TState>(Variable variable, Func<TState> create) where TState : class, ISlots
    {
        if (!_state.TryGetValue(variable, out var s))
        {
            var state = create();
            if (_restored.Remove(variable, out var slots))
                foreach (var (slot, value) in slots) state.Load(slot, value);
            _state[variable] = s = (state, variable.Device);
        }
        else if (s.Device != variable.Device)
            throw new InvalidOperationException($"{GetType().Name}: the state for variable '{variable.Name}' lives on {s.Device}, but the variable " +
                $"moved to {variable.Device}; move the model before the optimizer's first step, or use a new optimizer.");
        return (TState)s.State;
    }

    /// <summary>Per-variable optimizer state as named tensors, so that it can be saved and restored.</summary>
    protected interface ISlots
    {
        /// <summary>Every tensor of the state by slot name ("m", "v", "step"); counters are int64 scalars.</summary>
        IEnumerable<(string Slot, Tensor Value)> Save();

        /// <summary>
        /// Overwrites slot <paramref name="slot"/> with <paramref name="value"/> (checked against the variable, and on its
        /// device); an unknown slot throws <see cref="ArgumentException"/> (use <see cref="UnknownSlot"/>).
        /// </summary>
        void Load(string slot, Tensor value);
    }

    /// <summary>The error for a slot name a rule does not have.</summary>
    protected ArgumentException UnknownSlot(string slot) =>
        new($"{GetType().Name}: the saved state has a slot '{slot}', which this optimizer does not keep; was it saved by another optimizer?");

    /// <summary>
    /// The state to save, as Keras's optimizer variables: "iterations" (an int64 scalar) and, for each of
    /// <paramref name="variables"/> that has state, "{variable name}/{slot}" (Adam's "dense/kernel/m", "dense/kernel/step").
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> GetState(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var state = new Dictionary<string, Tensor> { ["iterations"] = Tensor.Scalar(Iterations) };
        foreach (var v in variables)
        {
            var slots = _state.TryGetValue(v, out var s) ? s.State.Save() : _restored.GetValueOrDefault(v) ?? [];
            foreach (var (slot, value) in slots)
                if (!state.TryAdd($"{v.Name}/{slot}", value))
                    throw new ArgumentException($"{GetType().Name}.GetState: two variables are named '{v.Name}'; their state would collide.", nameof(variables));
        }
        return state;
    }

    /// <summary>
    /// Restores what <see cref="GetState"/> returned, for variables of the same names, shapes and dtypes (a rebuilt
    /// model's), so that training continues where it stopped. Each variable's state takes effect at its next update.
    /// A tensor that belongs to no variable, or has the wrong shape or dtype, throws <see cref="ArgumentException"/>
    /// before anything changes; so does a slot this rule does not have, when it is loaded.
    /// </summary>
    public void SetState(IReadOnlyDictionary<string, Tensor> state, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(variables);
        string op = $"{GetType().Name}.SetState";
        if (!state.TryGetValue("iterations", out var iterations) || iterations.Rank != 0 || !iterations.DType.IsInteger())
            throw new ArgumentException($"{op}: the state has no integer scalar 'iterations'.", nameof(state));
        var byName = new Dictionary<string, Variable>();
        foreach (var v in variables) byName[v.Name] = v;
        var restored = new Dictionary<Variable, List<(string, Tensor)>>(ReferenceEqualityComparer.Instance);
        foreach (var (key, value) in state)
        {
            if (key == "iterations") continue;
            int cut = key.LastIndexOf('/');
            if (cut <= 0 || !byName.TryGetValue(key[..cut], out var v))
                throw new ArgumentException($"{op}: '{key}' is not '<variable>/<slot>' for any of the {variables.Count} variables.", nameof(state));
            bool counter = value.Rank == 0 && value.DType == DType.Int64;
            if (!counter && (value.DType != v.DType || !ShapeUtil.SameShape(value.Dims, v.Dims)))
                throw new ArgumentException($"{op}: '{key}' is {value.DType.Name()} {ShapeUtil.Format(value.Dims)} but variable '{v.Name}' is " +
                    $"{v.DType.Name()} {ShapeUtil.Format(v.Dims)}.", nameof(state));
            if (!restored.TryGetValue(v, out var slots)) restored[v] = slots = [];
            slots.Add((key[(cut + 1)..], value.To(v.Device)));
        }
        // A variable that has stepped takes its state now; the others when their state is created. A slot name the
        // rule does not know (a file from another optimizer) throws from ISlots.Load.
        foreach (var (v, slots) in restored)
            if (_state.TryGetValue(v, out var s))
                foreach (var (slot, value) in slots) s.State.Load(slot, value);
            else _restored[v] = slots;
        Iterations = iterations.Item<long>();
    }
}
