using Descent.Nn.Callbacks;
using Descent.Nn.Data;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Training;
using Descent.Optimizers;

namespace Descent.Nn.Models;

public abstract partial class Model
{
    private readonly MeanTracker _lossTracker = new();
    private Metric[] _metrics = [];

    /// <summary>The optimizer set by <see cref="Compile(Optimizer, Loss, IEnumerable{Metric}?)"/>.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss set by Compile.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>The metrics set by Compile, reported after the loss.</summary>
    public IReadOnlyList<Metric> Metrics => _metrics;

    /// <summary>
    /// The history of the latest <c>Fit</c>, as Keras's model.history: while it runs, and after it returns or is
    /// cancelled (then it holds the epochs that finished).
    /// </summary>
    public History? History { get; private set; }

    /// <summary>Configures training: the optimizer, the loss and the metrics to report.</summary>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<Metric>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        var list = (metrics ?? []).ToArray();
        var names = new HashSet<string> { "loss" };
        foreach (var m in list)
            if (!names.Add(m.Name))
                throw new ArgumentException($"{Name}.Compile: two metrics (or a metric and the loss) are named '{m.Name}'.", nameof(metrics));
        (Optimizer, Loss, _metrics) = (optimizer, loss, list);
    }

    /// <summary>Compile with Keras names ("adam", "sparse_categorical_crossentropy", ["accuracy"]) resolved through <see cref="Registries"/>.</summary>
    public void Compile(string optimizer, string loss, IEnumerable<string>? metrics = null)
    {
        var lossObject = Registries.Losses.Contains(loss) ? Registries.Losses.Create(loss) : Loss.Get(loss);
        Compile(Registries.Optimizers.Create(optimizer), lossObject,
            (metrics ?? []).Select(m => Registries.Metrics.Contains(m) ? Registries.Metrics.Create(m) : Metric.Get(m, lossObject)).ToArray());
    }

    /// <summary>
    /// Trains on <paramref name="x"/> and <paramref name="y"/> (first axis = examples) for <paramref name="epochs"/> epochs,
    /// as Keras: <paramref name="validationSplit"/> holds out the last fraction of the rows (before shuffling), or
    /// <paramref name="validationData"/> is used as given; the training rows are reshuffled every epoch from
    /// <paramref name="seed"/> (default <see cref="Seed"/>), so a seed fixes the whole run. Float data of the other
    /// precision is cast to the weights' dtype, as Keras does. <paramref name="cancellationToken"/> is checked after each
    /// batch; see <see cref="Fit(Dataset, int, Dataset?, IEnumerable{Callback}?, int, int?, CancellationToken)"/>.
    /// </summary>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32, double validationSplit = 0,
        (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, IEnumerable<Callback>? callbacks = null,
        int verbose = 1, long? seed = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (!(validationSplit >= 0 && validationSplit < 1))
            throw new ArgumentOutOfRangeException(nameof(validationSplit), validationSplit, $"{Name}.Fit: the validation split must be in [0, 1).");
        if (validationSplit > 0 && validationData is not null)
            throw new ArgumentException($"{Name}.Fit: give validationSplit or validationData, not both.");
        if (x.Rank == 0 || y.Rank == 0 || x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"{Name}.Fit: x [{string.Join(", ", x.Shape)}] and y [{string.Join(", ", y.Shape)}] need the same number of rows.");

        Dataset? validation = null;
        if (validationSplit > 0)
        {
            // Keras: split_at = floor(n * (1 - split)); the last rows validate.
            int n = x.Shape[0], splitAt = (int)Math.Floor(n * (1 - validationSplit));
            if (splitAt == 0 || splitAt == n)
                throw new ArgumentException($"{Name}.Fit: a validation split of {validationSplit} of {n} rows leaves {splitAt} training and {n - splitAt} validation rows; both must be non-empty.");
            validation = Dataset.FromTensorSlices(x.SliceAxis(0, splitAt, n - splitAt), y.SliceAxis(0, splitAt, n - splitAt)).Batch(batchSize);
            (x, y) = (x.SliceAxis(0, 0, splitAt), y.SliceAxis(0, 0, splitAt));
        }
        else if (validationData is { } data)
        {
            validation = Dataset.FromTensorSlices(data.X, data.Y).Batch(batchSize);
        }
        var train = Dataset.FromTensorSlices(x, y);
        if (shuffle) train = train.Shuffle(seed ?? Seed);
        if (!Built)
            using (Device.Use(x.Device)) Build(x.Shape.Skip(1).ToArray());
        return Fit(train.Batch(batchSize), epochs, validation, callbacks, verbose, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Trains on a batched <paramref name="train"/> dataset, enumerated once per epoch (or, with <paramref name="stepsPerEpoch"/>,
    /// that many batches per epoch from one running enumeration, restarted when it ends). When
    /// <paramref name="cancellationToken"/> is cancelled (Ctrl-C in a console program), training stops after the current
    /// batch and <see cref="OperationCanceledException"/> is thrown: the unfinished epoch is not validated, reported to
    /// callbacks or recorded, <see cref="History"/> holds the finished epochs, and the weights are those after the last batch.
    /// </summary>
    public History Fit(Dataset train, int epochs = 1, Dataset? validationData = null, IEnumerable<Callback>? callbacks = null,
        int verbose = 1, int? stepsPerEpoch = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        RequireCompiled("Fit");
        if (!train.IsBatched) throw new ArgumentException($"{Name}.Fit: the dataset must be batched; call Batch(size) on it.", nameof(train));
        if (stepsPerEpoch is null && train.Cardinality == Dataset.Infinite)
            throw new ArgumentException($"{Name}.Fit: the dataset repeats forever; give stepsPerEpoch.", nameof(stepsPerEpoch));
        if (stepsPerEpoch is <= 0) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, "must be positive.");

        var history = History = new History();
        var hooks = new CallbackList(callbacks, this);
        var progress = new ProgressReporter(CreateProgressConsole, verbose);
        long steps = stepsPerEpoch ?? train.Cardinality;
        IEnumerator<(Tensor X, Tensor Y)>? running = null;
        IDictionary<string, double> logs = new Dictionary<string, double>();
        StopTraining = false;
        hooks.OnTrainBegin(logs);
        try
        {
            for (int epoch = 0; epoch < epochs && !StopTraining; epoch++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ResetMetrics();
                hooks.OnEpochBegin(epoch, new Dictionary<string, double>());
                int current = epoch;
                logs = progress.Run(epoch, epochs, steps, report =>
                {
                    IDictionary<string, double> epochLogs = new Dictionary<string, double>();
                    int step = 0;
                    foreach (var (bx, by) in stepsPerEpoch is { } count ? Take(ref running, train, count) : train)
                    {
                        hooks.OnBatchBegin(step, new Dictionary<string, double>());
                        epochLogs = AsLogs(TrainStep(bx, by));
                        hooks.OnBatchEnd(step, epochLogs);
                        report(++step, epochLogs);
                        if (StopTraining) break;
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    epochLogs = new Dictionary<string, double>(epochLogs);
                    if (validationData is not null)
                        foreach (var (name, value) in EvaluateBatches(validationData))
                            epochLogs["val_" + name] = value;
                    hooks.OnEpochEnd(current, epochLogs);
                    history.Record(current, epochLogs);
                    return epochLogs;
                });
            }
        }
        finally
        {
            running?.Dispose();
        }
        hooks.OnTrainEnd(logs);
        return history;
    }

    /// <summary>The loss and metrics over <paramref name="x"/> and <paramref name="y"/>, in batches (Keras's evaluate, return_dict=True).</summary>
    public IReadOnlyDictionary<string, double> Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return Evaluate(Dataset.FromTensorSlices(x, y).Batch(batchSize), verbose);
    }

    /// <summary>The loss and metrics over a batched dataset.</summary>
    public IReadOnlyDictionary<string, double> Evaluate(Dataset data, int verbose = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        RequireCompiled("Evaluate");
        var logs = new ProgressReporter(CreateProgressConsole, verbose).Run(null, 1, data.Cardinality, report => EvaluateBatches(data, report));
        return new Dictionary<string, double>(logs);
    }

    /// <summary>The model's outputs for <paramref name="x"/>, computed in batches with training off and joined.</summary>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (x.Rank == 0) throw new ArgumentException($"{Name}.Predict: expects a batch with a leading batch axis, got a scalar.");
        int n = x.Shape[0];
        if (n == 0) throw new ArgumentException($"{Name}.Predict: x has no rows (shape [{string.Join(", ", x.Shape)}]).");
        if (n <= batchSize) return PredictStep(x);
        var outputs = new List<Tensor>();
        for (int start = 0; start < n; start += batchSize)
            outputs.Add(PredictStep(x.SliceAxis(0, start, Math.Min(batchSize, n - start))));
        return Tensor.Concat(outputs, 0);
    }

    /// <summary>
    /// One optimization step (Keras's train_step): forward pass with training on, under a tape; loss; gradients with
    /// respect to the trainable variables; optimizer update; then the running loss and metrics.
    /// </summary>
    public virtual IReadOnlyDictionary<string, double> TrainStep(Tensor x, Tensor y)
    {
        var (optimizer, loss) = RequireCompiled("TrainStep");
        Tensor yPred, value;
        IReadOnlyList<Variable> variables;
        Tensor?[] gradients;
        using (var tape = new GradientTape())
        {
            yPred = Call(x, training: true);
            value = loss.Compute(y, yPred);
            // Read after the forward pass, which builds a model on its first batch.
            variables = TrainableVariables;
            gradients = tape.Gradient(value, variables);
        }
        optimizer.ApplyGradients(gradients, variables);
        return UpdateMetrics(y, yPred, value);
    }

    /// <summary>One evaluation step (Keras's test_step): forward pass with training off, then the running loss and metrics.</summary>
    public virtual IReadOnlyDictionary<string, double> TestStep(Tensor x, Tensor y)
    {
        var (_, loss) = RequireCompiled("TestStep");
        var yPred = Call(x, training: false);
        return UpdateMetrics(y, yPred, loss.Compute(y, yPred));
    }

    /// <summary>One prediction step: the forward pass with training off.</summary>
    public virtual Tensor PredictStep(Tensor x) => Call(x, training: false);

    /// <summary>Adds a batch to the running loss and metrics and returns their current values.</summary>
    /// <remarks>
    /// The values are read from the device only when looked up (the progress bar reads the loss; the epoch's end
    /// reads them all), so a step downloads at most one number.
    /// </remarks>
    protected IReadOnlyDictionary<string, double> UpdateMetrics(Tensor yTrue, Tensor yPred, Tensor loss)
    {
        _lossTracker.Update(loss, yTrue.Rank == 0 ? 1 : yTrue.Shape[0]);
        foreach (var m in _metrics) m.UpdateState(yTrue, yPred);
        var entries = new List<(string, Func<double>)> { ("loss", _lossTracker.Result) };
        foreach (var m in _metrics) entries.Add((m.Name, m.Result));
        return new ReadOnlyLogs(new LazyLogs(entries));
    }

    // A subclass's TrainStep may return any dictionary; the built-in steps return lazy logs, kept lazy.
    private static IDictionary<string, double> AsLogs(IReadOnlyDictionary<string, double> logs) =>
        logs is ReadOnlyLogs lazy ? lazy.Inner : new Dictionary<string, double>(logs);

    /// <summary>Starts the running loss and metrics afresh.</summary>
    protected void ResetMetrics()
    {
        _lossTracker.Reset();
        foreach (var m in _metrics) m.ResetState();
    }

    private IDictionary<string, double> EvaluateBatches(Dataset data, Action<int, IDictionary<string, double>>? report = null)
    {
        ResetMetrics();
        IDictionary<string, double> logs = new Dictionary<string, double>();
        int step = 0;
        foreach (var (x, y) in data)
        {
            logs = AsLogs(TestStep(x, y));
            report?.Invoke(++step, logs);
        }
        return new Dictionary<string, double>(logs);
    }

    private static IEnumerable<(Tensor X, Tensor Y)> Take(ref IEnumerator<(Tensor X, Tensor Y)>? running, Dataset data, int count)
    {
        running ??= data.GetEnumerator();
        var batches = new List<(Tensor, Tensor)>(count);
        while (batches.Count < count)
        {
            if (running.MoveNext()) batches.Add(running.Current);
            else
            {
                running.Dispose();
                running = data.GetEnumerator();
                if (!running.MoveNext()) break; // an empty dataset
                batches.Add(running.Current);
            }
        }
        return batches;
    }

    private (Optimizer, Loss) RequireCompiled(string op) =>
        Optimizer is { } o && Loss is { } l ? (o, l) : throw new InvalidOperationException($"{Name}.{op}: call Compile(optimizer, loss, metrics) first.");
}
