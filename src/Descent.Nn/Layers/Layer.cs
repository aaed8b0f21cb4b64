using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// A building block of a model: it owns variables and maps an input batch to an output batch.
/// Built lazily from the first input's shape (or explicitly with <see cref="Build"/>). Subclasses create
/// their weights in <see cref="OnBuild"/> with <see cref="AddWeight"/> and compute in <see cref="Forward(Tensor, bool)"/>.
/// Uses only Descent's public API, as a user's own layer would.
/// </summary>
public abstract class Layer
{
    private static int _counter;
    private readonly List<Variable> _variables = [];

    /// <summary>Creates the layer; a null name becomes "dense_3"-style from the type name.</summary>
    protected Layer(string? name = null)
    {
        Name = name ?? $"{SnakeCase(GetType().Name)}_{Interlocked.Increment(ref _counter)}";
    }

    /// <summary>The layer's name; variable names are "{layer}/{weight}".</summary>
    public string Name { get; }

    /// <summary>True once the weights exist.</summary>
    public bool Built { get; private set; }

    /// <summary>The input shape without the batch axis, known once built.</summary>
    public int[]? InputShape { get; private set; }

    /// <summary>The float dtype of the weights.</summary>
    public DType DType { get; set; } = DType.Float32;

    /// <summary>Every variable, trainable or not, in creation order.</summary>
    public virtual IReadOnlyList<Variable> Variables => _variables;

    /// <summary>The variables an optimizer updates.</summary>
    public IReadOnlyList<Variable> TrainableVariables => Variables.Where(v => v.Trainable).ToList();

    /// <summary>State that is saved but not trained (BatchNormalization's moving statistics).</summary>
    public IReadOnlyList<Variable> NonTrainableVariables => Variables.Where(v => !v.Trainable).ToList();

    /// <summary>Creates the weights for inputs of <paramref name="inputShape"/> (batch axis excluded).</summary>
    public void Build(int[] inputShape, Generator? generator = null)
    {
        if (Built) return;
        InputShape = (int[])inputShape.Clone();
        OnBuild(InputShape, generator ?? new Generator(0));
        Built = true;
    }

    /// <summary>
    /// Runs the layer on a batch, building it first if needed. <paramref name="mask"/> is Keras's mask: bool
    /// [batch, time], true at the steps that hold data (an <see cref="Embedding"/> with maskZero makes one); layers that
    /// take masks (<see cref="SupportsMasking"/>) use it, the others ignore it.
    /// </summary>
    public Tensor Call(Tensor inputs, bool training = false, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureBuilt(inputs);
        inputs = AutoCast(inputs);
        return mask is not null && SupportsMasking ? Forward(inputs, mask, training) : Forward(inputs, training);
    }

    /// <summary>
    /// Whether <see cref="Call"/> converts float inputs to <see cref="DType"/> first (Keras's autocast): true for a layer
    /// with weights; a layer without weights (Flatten, Dropout) keeps its input's dtype.
    /// </summary>
    protected virtual bool CastsInputs => _variables.Count > 0;

    /// <summary>
    /// Keras's autocast: float data of the other precision (float64 arrays into a float32 model) is converted to the
    /// weights' dtype rather than refused. The cast is differentiable, so gradients flow back in the input's dtype.
    /// </summary>
    protected Tensor AutoCast(Tensor inputs) =>
        CastsInputs && inputs.DType.IsFloat() && inputs.DType != DType ? inputs.Cast(DType) : inputs;

    /// <summary>Builds the layer from the first batch it sees, unless it is built already.</summary>
    protected void EnsureBuilt(Tensor inputs)
    {
        if (Built) return;
        if (inputs.Rank < 1) throw new ArgumentException($"{Name}: expects a batch with a leading batch axis, got a scalar.");
        // A layer inside a model takes its weights from the model's seeded generator, and its weights go
        // where its input lives, whatever the default device.
        using (Device.Use(inputs.Device))
            Build(inputs.Shape.Skip(1).ToArray(), Models.LayerOwners.GeneratorFor(this));
    }

    /// <summary>
    /// Whether the layer reads a mask in <see cref="Forward(Tensor, Tensor, bool)"/> or passes it on (Keras's
    /// supports_masking). A layer that does not stops the mask: the layers after it get none.
    /// </summary>
    public virtual bool SupportsMasking => false;

    /// <summary>
    /// The mask of this layer's output for <paramref name="inputs"/> and their <paramref name="mask"/> (Keras's
    /// compute_mask): by default the input mask when the layer supports masking, else none.
    /// </summary>
    public virtual Tensor? ComputeMask(Tensor inputs, Tensor? mask) => SupportsMasking ? mask : null;

    /// <summary>The output shape (batch axis excluded) for an input shape; used by Summary.</summary>
    public abstract int[] ComputeOutputShape(int[] inputShape);

    /// <summary>The constructor arguments, for saving the architecture as JSON.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name };

    /// <summary>Creates this layer's variables.</summary>
    protected virtual void OnBuild(int[] inputShape, Generator generator) { }

    /// <summary>The computation on a batch.</summary>
    protected abstract Tensor Forward(Tensor inputs, bool training);

    /// <summary>The computation on a batch with its mask; only called when <see cref="SupportsMasking"/>. By default the mask is not read.</summary>
    protected virtual Tensor Forward(Tensor inputs, Tensor mask, bool training) => Forward(inputs, training);

    /// <summary>Creates and registers a variable named "{layer}/{name}".</summary>
    protected Variable AddWeight(string name, int[] shape, Initializer initializer, Generator generator, bool trainable = true)
    {
        var v = new Variable(initializer.Create(shape, DType, generator), $"{Name}/{name}", trainable);
        _variables.Add(v);
        return v;
    }

    private static string SnakeCase(string typeName)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < typeName.Length; i++)
        {
            char c = typeName[i];
            if (char.IsUpper(c) && i > 0 && char.IsLower(typeName[i - 1])) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
