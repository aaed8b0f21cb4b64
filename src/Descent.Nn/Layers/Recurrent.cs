using Descent.Nn.Initializers;

namespace Descent.Nn.Layers;

/// <summary>
/// The shared part of <see cref="SimpleRNN"/>, <see cref="LSTM"/> and <see cref="GRU"/>, Keras's RNN layer around a
/// cell: it runs the cell over the steps of [batch, time, features] and returns the last output [batch, units] or,
/// with <see cref="ReturnSequences"/>, every output [batch, time, units]. Weights have Keras's layouts: kernel
/// [features, gates·units], recurrent kernel [units, gates·units], gates side by side in Keras's order.
/// </summary>
/// <remarks>
/// One matrix product projects the inputs of every step at once; each step then costs one product with the recurrent
/// kernel and the gate arithmetic, all on the input's device, with nothing read back to the host.
/// A mask [batch, time] (false on padding) makes a masked step keep the previous state, and its output repeat the
/// previous output (zeros before the first step, or always zeros with <see cref="ZeroOutputForMask"/>), as Keras.
/// Dropout is Keras's variational dropout: one mask per call on the inputs and one on the recurrent state, the same
/// for every step. (Keras draws one recurrent mask per gate; here all gates share one.)
/// </remarks>
public abstract class Recurrent : Layer
{
    private readonly Func<Tensor, Tensor> _activation;
    private Generator? _dropoutGenerator;

    /// <summary>Checks and stores the arguments the three recurrent layers share.</summary>
    protected Recurrent(int units, string? activation, bool useBias, Initializer? kernelInitializer, Initializer? recurrentInitializer,
        Initializer? biasInitializer, double dropout, double recurrentDropout, long? seed, bool returnSequences, bool returnState,
        bool goBackwards, bool zeroOutputForMask, string? name) : base(name)
    {
        if (units <= 0) throw LayerArgs.Error(this, $"units must be positive, got {units}.");
        if (!(dropout >= 0 && dropout < 1) || !(recurrentDropout >= 0 && recurrentDropout < 1))
            throw LayerArgs.Error(this, $"dropout and recurrent_dropout must be in [0, 1), got {dropout} and {recurrentDropout}.");
        Units = units;
        ActivationName = activation ?? "linear";
        _activation = LayerArgs.Activation(this, ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        RecurrentInitializer = recurrentInitializer ?? new Orthogonal();
        BiasInitializer = biasInitializer ?? new Zeros();
        Dropout = dropout;
        RecurrentDropout = recurrentDropout;
        Seed = seed;
        if (seed is long s) _dropoutGenerator = new Generator(s);
        ReturnSequences = returnSequences;
        ReturnState = returnState;
        GoBackwards = goBackwards;
        ZeroOutputForMask = zeroOutputForMask;
    }

    /// <summary>The size of the state and of each output.</summary>
    public int Units { get; }

    /// <summary>The Keras name of the output activation ("tanh" by default).</summary>
    public string ActivationName { get; }

    /// <summary>Whether the gates have biases.</summary>
    public bool UseBias { get; }

    /// <summary>Makes the input kernel.</summary>
    public Initializer KernelInitializer { get; }

    /// <summary>Makes the recurrent kernel.</summary>
    public Initializer RecurrentInitializer { get; }

    /// <summary>Makes the bias.</summary>
    public Initializer BiasInitializer { get; }

    /// <summary>The fraction of input features dropped in training (one mask per call, shared by every step).</summary>
    public double Dropout { get; }

    /// <summary>The fraction of state units dropped before the recurrent product in training.</summary>
    public double RecurrentDropout { get; }

    /// <summary>The dropout seed, or null to derive it from the build generator.</summary>
    public long? Seed { get; }

    /// <summary>Return every step's output [batch, time, units] rather than the last [batch, units].</summary>
    public bool ReturnSequences { get; }

    /// <summary>Whether the final states come with the output (Keras's return_state); read them with <see cref="CallWithState"/>.</summary>
    public bool ReturnState { get; }

    /// <summary>Run from the last step to the first; the sequence output is then in that (reversed) order, as Keras.</summary>
    public bool GoBackwards { get; }

    /// <summary>Masked steps output zeros instead of repeating the previous output (Bidirectional sets it when returning sequences).</summary>
    public bool ZeroOutputForMask { get; }

    /// <summary>The [features, gates·units] input kernel, once built.</summary>
    public Variable? Kernel { get; private set; }

    /// <summary>The [units, gates·units] recurrent kernel, once built.</summary>
    public Variable? RecurrentKernel { get; private set; }

    /// <summary>The bias, once built (null without bias).</summary>
    public Variable? Bias { get; private set; }

    /// <summary>How many blocks of <see cref="Units"/> columns the kernels have: 1, 4 (LSTM) or 3 (GRU).</summary>
    protected abstract int Gates { get; }

    /// <summary>How many state tensors the layer carries: 1, or 2 for LSTM (h and c).</summary>
    protected virtual int StateCount => 1;

    /// <summary>The bias shape; GRU with reset_after has [2, 3·units].</summary>
    protected virtual int[] BiasShape => [Gates * Units];

    /// <summary>The initializer the bias is built with (LSTM adds its unit forget bias).</summary>
    protected virtual Initializer BiasBuilder => BiasInitializer;

    /// <summary>The bias added to the projected inputs (GRU with reset_after: the first row).</summary>
    protected virtual Tensor? InputBias => Bias;

    /// <summary>The output activation.</summary>
    protected Tensor Activate(Tensor x) => _activation(x);

    /// <summary>
    /// One call's step function: given a step's projected input [batch, gates, units] (inputs times kernel plus the
    /// input bias) and the states, it returns the new states, the output first. <paramref name="recurrentDropout"/>
    /// [batch, units] multiplies the state before the recurrent product (null outside training).
    /// </summary>
    protected abstract Func<Tensor, Tensor[], Tensor[]> StepFunction(Tensor? recurrentDropout);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        LayerArgs.CheckSequence(this, inputShape, batchIncluded: false);
        return ReturnSequences ? [inputShape[0], Units] : [Units];
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => LayerArgs.Config(this, base.GetConfig(),
        ("units", Units), ("activation", ActivationName), ("use_bias", UseBias),
        ("kernel_initializer", Descent.Nn.Initializers.Initializers.Serialize(KernelInitializer)),
        ("recurrent_initializer", Descent.Nn.Initializers.Initializers.Serialize(RecurrentInitializer)),
        ("bias_initializer", Descent.Nn.Initializers.Initializers.Serialize(BiasInitializer)),
        ("dropout", Dropout), ("recurrent_dropout", RecurrentDropout), ("seed", Seed),
        ("return_sequences", ReturnSequences), ("return_state", ReturnState), ("go_backwards", GoBackwards),
        ("stateful", false), ("unroll", false), ("zero_output_for_mask", ZeroOutputForMask));

    /// <summary>
    /// Runs the layer from <paramref name="initialState"/> (zeros when null; LSTM takes [h, c], the others [h], each
    /// [batch, units]) and returns the output with the final states, whatever <see cref="ReturnState"/> says.
    /// </summary>
    public RecurrentResult CallWithState(Tensor inputs, IReadOnlyList<Tensor>? initialState = null, Tensor? mask = null, bool training = false)
    {
        EnsureBuilt(inputs);
        var run = Run(AutoCast(inputs), initialState, mask, training);
        return new RecurrentResult(ReturnSequences ? Tensor.Stack(run.Steps, axis: 1) : run.Last, run.States);
    }

    /// <summary>True: a mask [batch, time] (false on padding steps) makes masked steps keep the previous state.</summary>
    public override bool SupportsMasking => true;

    /// <summary>Keras's compute_mask: the input mask goes on with the sequence output; a last output has none.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator)
    {
        ComputeOutputShape(inputShape);
        Kernel = AddWeight("kernel", [inputShape[1], Gates * Units], KernelInitializer, generator);
        RecurrentKernel = AddWeight("recurrent_kernel", [Units, Gates * Units], RecurrentInitializer, generator);
        if (UseBias) Bias = AddWeight("bias", BiasShape, BiasBuilder, generator);
        _dropoutGenerator ??= new Generator(unchecked((long)generator.NextUInt64()));
    }

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) =>
        ReturnState ? throw StatesDropped() : CallWithState(inputs, null, null, training).Output;

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, Tensor mask, bool training) =>
        ReturnState ? throw StatesDropped() : CallWithState(inputs, null, mask, training).Output;

    private InvalidOperationException StatesDropped() =>
        new($"{GetType().Name} '{Name}': return_state is set, so the layer returns its states too; call CallWithState to get them.");

    /// <summary>
    /// Runs the steps: the outputs in the order they were computed (reversed time with <see cref="GoBackwards"/>;
    /// empty unless <see cref="ReturnSequences"/>), the last output and the final states.
    /// </summary>
    internal (IReadOnlyList<Tensor> Steps, Tensor Last, Tensor[] States) Run(Tensor inputs, IReadOnlyList<Tensor>? initialState, Tensor? mask, bool training)
    {
        LayerArgs.CheckSequence(this, inputs.Shape, batchIncluded: true);
        int batch = inputs.Shape[0], time = inputs.Shape[1], features = Kernel!.Shape[0];
        if (inputs.Shape[2] != features)
            throw LayerArgs.Error(this, $"was built for {features} features, got input {LayerArgs.Format(inputs.Shape)}.");
        if (time == 0) throw LayerArgs.Error(this, $"needs at least one time step, got input {LayerArgs.Format(inputs.Shape)}.");
        if (!inputs.DType.IsFloat() || inputs.DType != Kernel.DType)
            throw LayerArgs.Error(this, $"has {Kernel.DType.Name()} weights, got a {inputs.DType.Name()} input; cast it first.");
        var states = InitialStates(initialState, inputs);
        var stepMasks = mask is null ? null : SequenceMask.Check(this, mask, inputs).Reshape(batch, time, 1).Unstack(1);

        var x = inputs;
        if (training && Dropout > 0) x *= DropoutMask([batch, 1, features], Dropout, inputs);
        var step = StepFunction(training && RecurrentDropout > 0 ? DropoutMask([batch, Units], RecurrentDropout, inputs) : null);
        // One product projects every step's input; each step then reads its [batch, gates, units] slice as a view.
        var projected = Tensor.Dense(x.Reshape(batch * time, features), Kernel, InputBias)
            .Reshape(batch, time, Gates, Units).Unstack(1);

        var steps = new List<Tensor>(ReturnSequences ? time : 0);
        // Keras's output for a masked step: the previous step's output, zeros before the first.
        var output = stepMasks is null ? null : Tensor.Zeros([batch, Units], inputs.DType, inputs.Device);
        for (int k = 0; k < time; k++)
        {
            int t = GoBackwards ? time - 1 - k : k;
            var next = step(projected[t], states);
            if (stepMasks is { } masks)
            {
                var keep = masks[t];
                for (int s = 0; s < next.Length; s++) next[s] = Tensor.Where(keep, next[s], states[s]);
                output = Tensor.Where(keep, next[0], ZeroOutputForMask ? Tensor.ZerosLike(next[0]) : output!);
            }
            else output = next[0];
            states = next;
            if (ReturnSequences) steps.Add(output!);
        }
        return (steps, output!, states);
    }

    private Tensor[] InitialStates(IReadOnlyList<Tensor>? initialState, Tensor inputs)
    {
        int batch = inputs.Shape[0];
        if (initialState is null)
            return Enumerable.Range(0, StateCount).Select(_ => Tensor.Zeros([batch, Units], inputs.DType, inputs.Device)).ToArray();
        if (initialState.Count != StateCount)
            throw LayerArgs.Error(this, $"takes {StateCount} initial state tensor{(StateCount == 1 ? "" : "s")}, got {initialState.Count}.");
        foreach (var s in initialState)
        {
            if (s is null || s.Rank != 2 || s.Shape[0] != batch || s.Shape[1] != Units)
                throw LayerArgs.Error(this, $"each initial state must be [batch, units] = [{batch},{Units}], got {(s is null ? "null" : LayerArgs.Format(s.Shape))}.");
            if (s.DType != inputs.DType || s.Device != inputs.Device)
                throw LayerArgs.Error(this, $"the initial state is {s.DType.Name()} on {s.Device} but the input is {inputs.DType.Name()} on {inputs.Device}.");
        }
        return initialState.ToArray();
    }

    // Inverted dropout's mask: 0 with probability rate, else 1 / (1 − rate), on the input's device.
    private Tensor DropoutMask(int[] shape, double rate, Tensor like)
    {
        var uniform = Tensor.RandomUniform(shape, _dropoutGenerator!, dtype: like.DType, device: like.Device);
        return Tensor.GreaterEqual(uniform, Tensor.Scalar(rate, like.DType, like.Device)).Cast(like.DType) * (1.0 / (1.0 - rate));
    }
}
