using Descent.Nn.Layers;
using Descent.Nn.Training;
using Spectre.Console;

namespace Descent.Nn.Models;

/// <summary>
/// A trainable network with Keras's training API (Compile, Fit, Evaluate, Predict, Save). Subclass it, create layers
/// in the constructor with <see cref="AddLayer{T}"/> so they are tracked, and override <see cref="Call"/>; or use
/// <see cref="Sequential"/>. Every weight comes from one generator seeded with <see cref="Seed"/>, in build order.
/// </summary>
public abstract partial class Model
{
    private static int _counter;
    private readonly List<Layer> _layers = [];
    private Generator? _buildGenerator;

    /// <summary>Creates the model; a null name becomes "sequential_2"-style from the type name.</summary>
    protected Model(string? name = null, long seed = 0)
    {
        Name = name ?? $"{GetType().Name.ToLowerInvariant()}_{Interlocked.Increment(ref _counter)}";
        Seed = seed;
    }

    /// <summary>The model's name.</summary>
    public string Name { get; }

    /// <summary>Seeds the generator that initializes every layer (and the default shuffle of <c>Fit</c>).</summary>
    public long Seed { get; }

    /// <summary>The tracked layers, in the order they were added.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <summary>The input shape without the batch axis, once built.</summary>
    public int[]? InputShape { get; protected set; }

    /// <summary>
    /// True once every layer has its weights: after <see cref="Build"/>, or after the first <see cref="Call"/> (or
    /// <c>Fit</c>, <c>Predict</c>) of a subclassed model, whose layers build themselves from what they are given.
    /// </summary>
    public bool Built => _layers.Count > 0 && !NeedsInputShape
        ? _layers.TrueForAll(l => l.Built)
        : InputShape is not null && _layers.TrueForAll(l => l.Built);

    /// <summary>Whether being built needs <see cref="InputShape"/>: a <see cref="Sequential"/> saves it to be rebuilt from JSON.</summary>
    private protected virtual bool NeedsInputShape => false;

    /// <summary>Every variable of every layer, in layer order.</summary>
    public IReadOnlyList<Variable> Variables => _layers.SelectMany(l => l.Variables).ToList();

    /// <summary>The variables the optimizer updates.</summary>
    public IReadOnlyList<Variable> TrainableVariables => Variables.Where(v => v.Trainable).ToList();

    /// <summary>Saved but not trained state.</summary>
    public IReadOnlyList<Variable> NonTrainableVariables => Variables.Where(v => !v.Trainable).ToList();

    /// <summary>Set by a callback (EarlyStopping, TerminateOnNaN) to end <c>Fit</c> after the current batch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>
    /// Where <c>Fit</c> and <c>Evaluate</c> write their progress and <see cref="Summary"/> its table; null (the default)
    /// is the process's standard output. A live progress bar is drawn only on a terminal, else one line per epoch.
    /// </summary>
    public TextWriter? Output { get; set; }

    /// <summary>Tests set a console that claims to be a terminal, to see the live progress bar; null: one made for <see cref="Output"/>.</summary>
    internal IAnsiConsole? ProgressConsole { get; set; }

    internal IAnsiConsole CreateProgressConsole() => ProgressConsole ?? ProgressReporter.ConsoleFor(Output ?? Console.Out);

    /// <summary>Free-form extras saved in model.json by <c>Save</c> (class names, scaler state); after <c>Load</c> the values are JsonElements.</summary>
    public IDictionary<string, object?> Metadata { get; } = new Dictionary<string, object?>();

    internal Generator BuildGenerator => _buildGenerator ??= new Generator(Seed);

    /// <summary>The forward pass on a batch; <paramref name="training"/> switches dropout and batch statistics on.</summary>
    public abstract Tensor Call(Tensor inputs, bool training = false);

    /// <summary>Creates the weights for inputs of <paramref name="inputShape"/> (batch axis excluded) by running one zero batch.</summary>
    public virtual void Build(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (Built) return;
        var dtype = _layers.Count > 0 ? _layers[0].DType : DType.Float32;
        Call(Tensor.Zeros([1, .. inputShape], dtype));
        InputShape = (int[])inputShape.Clone();
    }

    /// <summary>Tracks <paramref name="layer"/> so its variables belong to the model; returns it for field initializers.</summary>
    protected T AddLayer<T>(T layer) where T : Layer
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (_layers.Exists(l => ReferenceEquals(l, layer) || l.Name == layer.Name))
            throw new ArgumentException($"{Name}: a layer named '{layer.Name}' is already in the model; layer names must be unique.", nameof(layer));
        _layers.Add(layer);
        LayerOwners.Register(layer, this);
        return layer;
    }

    /// <summary>
    /// Moves every variable to <paramref name="device"/> in place and returns the model, as PyTorch's
    /// <c>model.to(device)</c>; inputs must then be on that device too. Move a model before its optimizer's first
    /// step: optimizer state stays where it was made, and a later step on another device says so.
    /// </summary>
    public Model To(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var v in Variables) v.MoveTo(device);
        return this;
    }

    /// <summary>The device of the model's variables (the ambient default before it is built).</summary>
    public Device Device => Variables.Count > 0 ? Variables[0].Device : Device.Default;

    /// <summary>Copies of every variable's value, in <see cref="Variables"/> order (Keras's get_weights).</summary>
    public IReadOnlyList<Tensor> GetWeights() => Variables.Select(TensorCopy.Of).ToArray();

    /// <summary>Overwrites every variable from <paramref name="weights"/>, in <see cref="Variables"/> order (Keras's set_weights).</summary>
    public void SetWeights(IReadOnlyList<Tensor> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        var variables = Variables;
        if (weights.Count != variables.Count)
            throw new ArgumentException($"{Name}.SetWeights: {weights.Count} tensors for {variables.Count} variables.", nameof(weights));
        for (int i = 0; i < variables.Count; i++) variables[i].Assign(weights[i]);
    }

    /// <summary>The number of scalars in <paramref name="variables"/>.</summary>
    internal static long CountParams(IEnumerable<Variable> variables) => variables.Sum(v => (long)v.Size);

    /// <summary>Prints Keras's model.summary() table (layers, output shapes, parameter counts and totals) to <see cref="Output"/>.</summary>
    public void Summary()
    {
        var output = Output ?? Console.Out;
        output.Write(GetSummary());
        output.Flush();
    }

    /// <summary>The table <see cref="Summary"/> prints, as text.</summary>
    public string GetSummary() => ModelSummary.Render(this);
}
