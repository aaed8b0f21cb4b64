namespace Descent;

/// <summary>
/// Records ops on watched tensors so <see cref="Gradient(Tensor, Tensor, UnconnectedGradients)"/> can run
/// reverse-mode differentiation, with TensorFlow's semantics:
/// <code>using var tape = new GradientTape();
/// var loss = (a * x + b - y).Square().Sum();
/// var grads = tape.Gradient(loss, [a, b]);</code>
/// Each thread has its own stack of active tapes; nested tapes give higher-order derivatives.
/// </summary>
public sealed class GradientTape : IDisposable
{
    [ThreadStatic] private static List<GradientTape>? _active;
    [ThreadStatic] private static int _suspended;
    [ThreadStatic] private static Buffers? _spare;

    private readonly Buffers _buffers;
    private readonly List<GradientTape> _owner;
    private readonly List<TapeEntry> _entries;
    private readonly HashSet<long> _tracked;
    private readonly List<Variable> _watchedVariables;
    private readonly bool _watchAccessedVariables;
    private Variable[]? _finalWatched; // set once the buffers have gone back for reuse by a later tape
    private bool _recording = true;
    private bool _used;
    private bool _disposed;

    /// <summary>Starts recording on this thread.</summary>
    /// <param name="persistent">Allow more than one <see cref="Gradient(Tensor, Tensor, UnconnectedGradients)"/> call.</param>
    /// <param name="watchAccessedVariables">Watch every trainable <see cref="Variable"/> an op reads.</param>
    public GradientTape(bool persistent = false, bool watchAccessedVariables = true)
    {
        Persistent = persistent;
        _watchAccessedVariables = watchAccessedVariables;
        // A training loop makes one tape per step; the previous step's collections are reused.
        _buffers = _spare ?? new Buffers();
        _spare = null;
        (_entries, _tracked, _watchedVariables) = (_buffers.Entries, _buffers.Tracked, _buffers.WatchedVariables);
        _owner = _active ??= [];
        _owner.Add(this);
    }

    /// <summary>True when the tape keeps its record after a gradient call.</summary>
    public bool Persistent { get; }

    /// <summary>Watches a tensor so ops on it are recorded. Integer and bool tensors are ignored: they carry no gradient.</summary>
    public void Watch(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.DType.IsFloat() || _finalWatched is not null) return;
        if (_tracked.Add(tensor.Id) && tensor is Variable v) _watchedVariables.Add(v);
    }

    /// <summary>Watches each tensor in <paramref name="tensors"/>.</summary>
    public void Watch(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) Watch(t);
    }

    /// <summary>The variables this tape watches, in the order it first saw them.</summary>
    public IReadOnlyList<Variable> WatchedVariables() => _finalWatched ?? _watchedVariables.ToArray();

    /// <summary>Pauses recording on this tape until the returned scope is disposed.</summary>
    public IDisposable StopRecording()
    {
        if (!_recording) throw new InvalidOperationException("GradientTape.StopRecording: the tape is already paused.");
        _recording = false;
        return new Scope(() => _recording = true);
    }

    /// <summary>True when some tape on this thread is recording; ops skip their bookkeeping otherwise.</summary>
    internal static bool IsActive => _active is { Count: > 0 } && _suspended == 0;

    /// <summary>Runs ops without recording them on any tape (used by ops whose forward is a composition).</summary>
    internal static IDisposable Suspend()
    {
        _suspended++;
        return new Scope(() => _suspended--);
    }

    internal static Tensor Record(Tensor output, Tensor input, BackwardFunction backward) =>
        IsActive ? RecordOn(output, [input], backward) : output;

    internal static Tensor Record(Tensor output, Tensor a, Tensor b, BackwardFunction backward) =>
        IsActive ? RecordOn(output, [a, b], backward) : output;

    internal static Tensor Record(Tensor output, Tensor[] inputs, BackwardFunction backward) =>
        IsActive ? RecordOn(output, inputs, backward) : output;

    /// <summary>
    /// Records an op with several outputs as one entry, so its backward sees every output's gradient at once (the
    /// gradient of an unstack is one stack, not a zero-padded copy of the input per piece).
    /// </summary>
    internal static Tensor[] Record(Tensor[] outputs, Tensor input, MultiBackwardFunction backward)
    {
        if (!IsActive || outputs.Length == 0 || !outputs[0].DType.IsFloat()) return outputs;
        foreach (var tape in _active!)
            if (tape.Watches([input]))
            {
                tape._entries.Add(new TapeEntry([input], null, null, outputs, backward));
                foreach (var output in outputs) tape._tracked.Add(output.Id);
            }
        return outputs;
    }

    private static Tensor RecordOn(Tensor output, Tensor[] inputs, BackwardFunction backward)
    {
        if (!output.DType.IsFloat()) return output;
        foreach (var tape in _active!)
            if (tape.Watches(inputs))
            {
                tape._entries.Add(new TapeEntry(inputs, output, backward));
                tape._tracked.Add(output.Id);
            }
        return output;
    }

    // Whether this tape records an op on these inputs: it is recording and tracks one of them (a trainable variable
    // an op reads is watched on first access).
    private bool Watches(Tensor[] inputs)
    {
        if (!_recording) return false;
        bool watched = false;
        foreach (var input in inputs)
        {
            if (_watchAccessedVariables && input is Variable { Trainable: true } v && v.DType.IsFloat())
                Watch(v);
            watched |= _tracked.Contains(input.Id);
        }
        return watched;
    }

    /// <summary>The gradient of <paramref name="target"/> (of its sum, if not scalar) with respect to <paramref name="source"/>.</summary>
    public Tensor? Gradient(Tensor target, Tensor source, UnconnectedGradients unconnected = UnconnectedGradients.None) =>
        Gradient([target], [source], unconnected)[0];

    /// <summary>Gradients of <paramref name="target"/> with respect to each source, in order.</summary>
    public Tensor?[] Gradient(Tensor target, IReadOnlyList<Tensor> sources, UnconnectedGradients unconnected = UnconnectedGradients.None) =>
        Gradient([target], sources, unconnected);

    /// <summary>Gradients of the total of <paramref name="targets"/> with respect to each source, in order.</summary>
    public Tensor?[] Gradient(IReadOnlyList<Tensor> targets, IReadOnlyList<Tensor> sources, UnconnectedGradients unconnected = UnconnectedGradients.None)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(sources);
        var seeds = new List<(Tensor, Tensor)>(targets.Count);
        foreach (var t in targets) seeds.Add((t, t.Rank == 0 ? t.Like(1) : Tensor.OnesLike(t)));
        var result = Backpropagate(seeds, sources, unconnected);
        Finish();
        return result;
    }

    /// <summary>
    /// The full Jacobian: shape target.Shape + source.Shape, one backward pass per target element.
    /// </summary>
    public Tensor Jacobian(Tensor target, Tensor source)
    {
        var rows = new Tensor[target.Size];
        for (int i = 0; i < target.Size; i++)
        {
            var seed = Tensor.OneHot(Tensor.Scalar(i, DType.Int32, target.Device), target.Size, dtype: target.DType).Reshape(target.Dims);
            rows[i] = Backpropagate([(target, seed)], [source], UnconnectedGradients.Zero)[0]!;
        }
        Finish();
        int[] shape = [.. target.Dims, .. source.Dims];
        return rows.Length == 0 ? Tensor.Zeros(shape, source.DType) : Tensor.Stack(rows).Reshape(shape);
    }

    /// <summary>
    /// The Jacobian of each batch row of <paramref name="target"/> [B, ...] with respect to the same row of
    /// <paramref name="source"/> [B, ...], assuming rows are independent: shape [B, target row..., source row...].
    /// </summary>
    public Tensor BatchJacobian(Tensor target, Tensor source)
    {
        if (target.Rank < 1 || source.Rank < 1 || target.Dims[0] != source.Dims[0])
            throw new ArgumentException($"BatchJacobian: target {ShapeUtil.Format(target.Dims)} and source {ShapeUtil.Format(source.Dims)} need the same leading batch axis.");
        int batch = target.Dims[0], rowSize = batch == 0 ? 0 : target.Size / batch;
        var columns = new Tensor[rowSize];
        for (int j = 0; j < rowSize; j++)
        {
            // Every batch row gets the same one-hot seed at once: rows are independent, so one pass serves all.
            var seed = Tensor.OneHot(Tensor.Full([batch], j, DType.Int32, target.Device), rowSize, dtype: target.DType).Reshape(target.Dims);
            columns[j] = Backpropagate([(target, seed)], [source], UnconnectedGradients.Zero)[0]!;
        }
        Finish();
        int[] shape = [batch, .. target.Dims[1..], .. source.Dims[1..]];
        return columns.Length == 0 ? Tensor.Zeros(shape, source.DType) : Tensor.Stack(columns, axis: 1).Reshape(shape);
    }

    private Tensor?[] Backpropagate(List<(Tensor Target, Tensor Seed)> seeds, IReadOnlyList<Tensor> sources, UnconnectedGradients unconnected)
    {
        if (_used && !Persistent)
            throw new InvalidOperationException("GradientTape.Gradient: this tape is not persistent and its gradient was already computed; create it with persistent: true to call Gradient more than once.");

        var grads = _buffers.Gradients;
        grads.Clear();
        bool wasRecording = _recording;
        _recording = false; // the backward ops belong to outer tapes, not to this one
        try
        {
            foreach (var (target, seed) in seeds)
                Accumulate(grads, target, seed);
            for (int e = _entries.Count - 1; e >= 0; e--)
            {
                var entry = _entries[e];
                Tensor? g = null;
                Tensor?[]? gs = null;
                if (entry.Outputs is { } outputs)
                {
                    // Every consumer of every output was recorded later, so each gradient here is complete.
                    gs = new Tensor?[outputs.Length];
                    bool any = false;
                    for (int k = 0; k < outputs.Length; k++) any |= grads.TryGetValue(outputs[k].Id, out gs[k]);
                    if (!any) continue;
                }
                else if (!grads.TryGetValue(entry.Output!.Id, out g)) continue;
                for (int i = 0; i < entry.Inputs.Length; i++)
                {
                    var input = entry.Inputs[i];
                    if (!input.DType.IsFloat() || !_tracked.Contains(input.Id)) continue;
                    var gi = gs is null ? entry.Backward!(g!, i) : entry.BackwardMany!(gs, i);
                    if (gi is null) continue;
                    if (!ShapeUtil.SameShape(gi.Dims, input.Dims))
                        throw new InvalidOperationException($"GradientTape: internal error, gradient shape {ShapeUtil.Format(gi.Dims)} for input of shape {ShapeUtil.Format(input.Dims)}.");
                    Accumulate(grads, input, gi);
                }
            }
        }
        finally
        {
            _recording = wasRecording;
        }

        var result = new Tensor?[sources.Count];
        for (int i = 0; i < sources.Count; i++)
        {
            var s = sources[i] ?? throw new ArgumentNullException(nameof(sources), "GradientTape.Gradient: a source is null.");
            if (!s.DType.IsFloat()) continue;
            result[i] = grads.TryGetValue(s.Id, out var g) ? g
                : unconnected == UnconnectedGradients.Zero ? Tensor.ZerosLike(s) : null;
        }
        grads.Clear();
        return result;
    }

    private static void Accumulate(Dictionary<long, Tensor> grads, Tensor tensor, Tensor g)
    {
        if (g.DType != tensor.DType) g = g.Cast(tensor.DType);
        grads[tensor.Id] = grads.TryGetValue(tensor.Id, out var existing) ? existing + g : g;
    }

    private void Finish()
    {
        _used = true;
        if (Persistent) return;
        // A non-persistent tape lets go of every saved intermediate now, so their buffers can return to the pool.
        _entries.Clear();
        _tracked.Clear();
        Recycle();
    }

    // Once a non-persistent tape is both used and disposed, nothing can read its collections again
    // (TensorFlow allows Gradient after the tape's scope ends, so disposal alone is not enough).
    private void Recycle()
    {
        if (Persistent || !_used || !_disposed) return;
        // The collections now belong to the next tape; TensorFlow still answers watched_variables() here.
        _finalWatched = _watchedVariables.ToArray();
        _watchedVariables.Clear();
        _spare = _buffers;
    }

    /// <summary>Stops recording and leaves this thread's tape stack.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // The creating thread's stack, even when disposal happens on another thread (after an await).
        _owner.Remove(this);
        Recycle();
    }

    private sealed class Buffers
    {
        public readonly List<TapeEntry> Entries = [];
        public readonly HashSet<long> Tracked = [];
        public readonly List<Variable> WatchedVariables = [];
        public readonly Dictionary<long, Tensor> Gradients = [];
    }

    private sealed class Scope(Action onDispose) : IDisposable
    {
        private Action? _onDispose = onDispose;

        public void Dispose()
        {
            _onDispose?.Invoke();
            _onDispose = null;
        }
    }
}
