using System.Text.Json;
using Descent.Nn.Serialization;

namespace Descent.Nn.Layers;

/// <summary>
/// Keras's Bidirectional wrapper: runs a copy of a recurrent layer forwards and another backwards over the same
/// sequence and merges their outputs: "concat" (the last axis doubles), "sum", "mul", "ave", or "none" (no merge;
/// read both with <see cref="CallWithState"/>). As in Keras the copies are made from the layer's config, named
/// "forward_…" and "backward_…"; the backward copy's sequence output is put back in time order before merging, and
/// with return_sequences both copies output zeros on masked steps.
/// </summary>
public sealed class Bidirectional : Layer
{
    private static readonly string[] MergeModes = ["concat", "sum", "mul", "ave", "none"];

    /// <summary>Creates the wrapper; throws ArgumentException for an unknown merge mode or a backward layer that does not fit.</summary>
    /// <param name="layer">The recurrent layer to copy in both directions (its own weights are not used).</param>
    /// <param name="mergeMode">"concat", "sum", "mul", "ave", or "none" (or null) to keep both outputs.</param>
    /// <param name="backwardLayer">A layer for the backward direction instead of a copy of <paramref name="layer"/>; it must go backwards when the layer does not.</param>
    /// <param name="name">The layer name; null gives "bidirectional_N".</param>
    public Bidirectional(Recurrent layer, string? mergeMode = "concat", Recurrent? backwardLayer = null, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(layer);
        MergeMode = mergeMode?.ToLowerInvariant() ?? "none";
        if (!MergeModes.Contains(MergeMode))
            throw LayerArgs.Error(this, $"merge_mode must be one of {string.Join(", ", MergeModes)}, got '{mergeMode}'.");
        ForwardLayer = Copy(layer, "forward_", layer.GoBackwards);
        BackwardLayer = backwardLayer is null ? Copy(layer, "backward_", !layer.GoBackwards) : Copy(backwardLayer, "", backwardLayer.GoBackwards);
        if (BackwardLayer.GoBackwards == ForwardLayer.GoBackwards)
            throw LayerArgs.Error(this, $"the forward and backward layers both have go_backwards = {ForwardLayer.GoBackwards}; one must go the other way.");
        if (BackwardLayer.ReturnSequences != ForwardLayer.ReturnSequences || BackwardLayer.ReturnState != ForwardLayer.ReturnState)
            throw LayerArgs.Error(this, "the forward and backward layers must agree on return_sequences and return_state.");
        if (BackwardLayer.Name == ForwardLayer.Name)
            throw LayerArgs.Error(this, $"the forward and backward layers are both named '{ForwardLayer.Name}'; their weights need distinct names.");
    }

    /// <summary>"concat", "sum", "mul", "ave" or "none".</summary>
    public string MergeMode { get; }

    /// <summary>The copy that runs forwards (as the wrapped layer runs).</summary>
    public Recurrent ForwardLayer { get; }

    /// <summary>The copy that runs the other way.</summary>
    public Recurrent BackwardLayer { get; }

    /// <summary>Whether the output is every step's (both copies have the same setting).</summary>
    public bool ReturnSequences => ForwardLayer.ReturnSequences;

    /// <summary>Whether the final states come with the output (forward states, then backward).</summary>
    public bool ReturnState => ForwardLayer.ReturnState;

    /// <summary>The forward copy's variables, then the backward copy's.</summary>
    public override IReadOnlyList<Variable> Variables => [.. ForwardLayer.Variables, .. BackwardLayer.Variables];

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        var shape = ForwardLayer.ComputeOutputShape(inputShape);
        if (MergeMode == "concat") shape[^1] *= 2;
        return shape;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("merge_mode", MergeMode == "none" ? null : MergeMode),
        ("layer", Described(ForwardLayer)), ("backward_layer", Described(BackwardLayer)));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Bidirectional FromConfig(LayerConfig c) => new(c.Wrapped("layer") ?? throw c.Missing("layer"),
        c.Has("merge_mode") ? c.String("merge_mode", null) : "concat", c.Wrapped("backward_layer"), c.Name);

    /// <summary>
    /// Runs both directions, the forward one from the first half of <paramref name="initialState"/> and the backward
    /// one from the second (each half as its layer takes it; zeros when null), and returns the outputs and final states.
    /// </summary>
    public BidirectionalResult CallWithState(Tensor inputs, IReadOnlyList<Tensor>? initialState = null, Tensor? mask = null, bool training = false)
    {
        EnsureBuilt(inputs);
        IReadOnlyList<Tensor>? forwardState = null, backwardState = null;
        if (initialState is not null)
        {
            if (initialState.Count % 2 != 0)
                throw LayerArgs.Error(this, $"takes an even number of initial states (the forward layer's, then the backward layer's), got {initialState.Count}.");
            int half = initialState.Count / 2;
            (forwardState, backwardState) = (initialState.Take(half).ToArray(), initialState.Skip(half).ToArray());
        }
        var forward = ForwardLayer.Run(inputs, forwardState, mask, training);
        var backward = BackwardLayer.Run(inputs, backwardState, mask, training);
        Tensor y = forward.Last, yBack = backward.Last;
        if (ReturnSequences)
        {
            y = Tensor.Stack(forward.Steps, axis: 1);
            // The backward copy computed its steps from last to first; stacking them reversed restores time order.
            yBack = Tensor.Stack(backward.Steps.Reverse().ToArray(), axis: 1);
        }
        var merged = MergeMode switch
        {
            "concat" => Tensor.Concat([y, yBack], axis: -1),
            "sum" => y + yBack,
            "mul" => y * yBack,
            "ave" => (y + yBack) * 0.5,
            _ => null,
        };
        return new BidirectionalResult(merged, y, yBack, [.. forward.States, .. backward.States]);
    }

    /// <summary>True: both directions skip masked steps.</summary>
    public override bool SupportsMasking => true;

    /// <summary>Keras's compute_mask: the input mask goes on with sequence outputs.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        ForwardLayer.DType = BackwardLayer.DType = DType;
        ForwardLayer.Build(inputShape, generator);
        BackwardLayer.Build(inputShape, generator);
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) => Merged(inputs, null, training);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, Tensor mask, bool training) => Merged(inputs, mask, training);

    private Tensor Merged(Tensor inputs, Tensor? mask, bool training)
    {
        if (ReturnState || MergeMode == "none")
            throw new InvalidOperationException($"Bidirectional '{Name}': {(ReturnState ? "return_state is set" : "merge_mode is none")}, so the layer returns more than one tensor; call CallWithState.");
        return CallWithState(inputs, null, mask, training).Output!;
    }

    // A fresh layer from another's config (Keras rebuilds the wrapped layer the same way), renamed, running in the
    // given direction, and, when it returns sequences, with zeros on masked steps.
    private static Recurrent Copy(Recurrent layer, string prefix, bool goBackwards)
    {
        var config = new Dictionary<string, object?>(layer.GetConfig())
        {
            ["name"] = prefix.Length == 0 || layer.Name.StartsWith(prefix, StringComparison.Ordinal) ? layer.Name : prefix + layer.Name,
            ["go_backwards"] = goBackwards,
            ["zero_output_for_mask"] = layer.ReturnSequences,
        };
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(JsonSerializer.Serialize(config))!;
        return LayerRegistry.Create(layer.GetType().Name, json) as Recurrent
            ?? throw new ArgumentException($"Bidirectional: the config of '{layer.Name}' rebuilds a layer that is not a {nameof(Recurrent)}.");
    }

    private static Dictionary<string, object?> Described(Layer layer) => new()
    {
        ["class_name"] = layer.GetType().Name,
        ["config"] = layer.GetConfig(),
    };
}
