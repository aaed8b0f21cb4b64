using System.Collections;

namespace Descent.Nn.Data;

/// <summary>
/// An input pipeline in the manner of tf.data: a lazy sequence of (x, y) elements built from tensors sliced along
/// their first axis, transformed with <see cref="Shuffle"/>, <see cref="Batch"/>, <see cref="Repeat"/>, <see cref="Take"/>,
/// <see cref="Skip"/> and <see cref="Map"/>. Each enumeration runs the pipeline again; a shuffle reshuffles on every
/// enumeration, in an order fixed by its seed. Until batched or mapped, elements are row indices into the source
/// tensors, so shuffling and batching copy each row once.
/// </summary>
public sealed class Dataset : IEnumerable<(Tensor X, Tensor Y)>
{
    /// <summary>The <see cref="Cardinality"/> of a dataset that never ends.</summary>
    public const long Infinite = -1;

    private readonly Tensor _x, _y;
    private readonly Func<IEnumerable<int>>? _rows;
    private readonly Func<IEnumerable<(Tensor X, Tensor Y)>>? _elements;
    private readonly bool _isSource;

    private Dataset(Tensor x, Tensor y, Func<IEnumerable<int>>? rows, Func<IEnumerable<(Tensor, Tensor)>>? elements,
        long cardinality, bool isBatched, bool isSource = false)
    {
        (_x, _y, _rows, _elements) = (x, y, rows, elements);
        Cardinality = cardinality;
        IsBatched = isBatched;
        _isSource = isSource;
    }

    /// <summary>The number of elements (batches once batched), or <see cref="Infinite"/>.</summary>
    public long Cardinality { get; }

    /// <summary>True once <see cref="Batch"/> has run: elements then carry a leading batch axis.</summary>
    public bool IsBatched { get; }

    /// <summary>Slices <paramref name="x"/> and <paramref name="y"/> along their first axis, which must have the same length.</summary>
    public static Dataset FromTensorSlices(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 0 || y.Rank == 0 || x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"Dataset: features of shape [{string.Join(", ", x.Shape)}] and labels of shape [{string.Join(", ", y.Shape)}] need the same non-empty first axis.");
        int n = x.Shape[0];
        return new Dataset(x, y, () => Enumerable.Range(0, n), null, n, isBatched: false, isSource: true);
    }

    /// <summary>Features [rows, columns] and one label per row.</summary>
    public static Dataset FromArrays<TX, TY>(TX[,] features, TY[] labels) where TX : unmanaged where TY : unmanaged =>
        FromTensorSlices(Tensor.FromArray(features), Tensor.FromArray(labels));

    /// <summary>Features [rows, columns] and targets [rows, outputs].</summary>
    public static Dataset FromArrays<TX, TY>(TX[,] features, TY[,] targets) where TX : unmanaged where TY : unmanaged =>
        FromTensorSlices(Tensor.FromArray(features), Tensor.FromArray(targets));

    /// <summary>
    /// Features as float32 [rows, columns]; class labels as int32 [rows] (for sparse categorical losses) or numeric
    /// targets as float32 [rows, 1] (matching a one-unit output layer).
    /// </summary>
    public static Dataset FromTabular(TabularData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var x = Tensor.FromArray(data.Features, data.Rows, data.Columns);
        var y = data.Labels is { } labels ? Tensor.FromArray(labels, data.Rows) : Tensor.FromArray(data.Targets!, data.Rows, 1);
        return FromTensorSlices(x, y);
    }

    /// <summary>
    /// Splits a dataset made directly by a From… method (before any transformation) into shuffled train and test parts
    /// with <see cref="DataSplit.TrainTestSplit"/>; <paramref name="stratify"/> keeps class proportions (integer labels [rows]).
    /// </summary>
    public (Dataset Train, Dataset Test) TrainTestSplit(double testFraction, long seed, bool stratify = false)
    {
        if (!_isSource)
            throw new InvalidOperationException("Dataset.TrainTestSplit: split the dataset made by FromTensorSlices/FromArrays/FromTabular, before Shuffle, Batch or Map.");
        int[]? labels = null;
        if (stratify)
        {
            if (_y.Rank != 1 || !_y.DType.IsInteger())
                throw new ArgumentException($"Dataset.TrainTestSplit: stratifying needs integer labels of shape [rows], got {_y.DType.Name()} [{string.Join(", ", _y.Shape)}].");
            labels = _y.ToArray<int>();
        }
        var (train, test) = DataSplit.TrainTestSplit(_x.Shape[0], testFraction, seed, labels);
        return (Rows(train), Rows(test));
    }

    /// <summary>Shuffles the elements; each enumeration draws a new order from the generator seeded with <paramref name="seed"/>.</summary>
    public Dataset Shuffle(long seed)
    {
        if (Cardinality == Infinite)
            throw new InvalidOperationException("Dataset.Shuffle: cannot shuffle an infinite dataset; shuffle before Repeat.");
        var generator = new Generator(seed);
        return With(rows => ShuffleSequence(rows, generator), elements => ShuffleSequence(elements, generator), Cardinality, IsBatched);
    }

    /// <summary>Groups consecutive elements into batches of <paramref name="size"/>; the last one may be smaller unless <paramref name="dropRemainder"/>.</summary>
    public Dataset Batch(int size, bool dropRemainder = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        long cardinality = Cardinality == Infinite ? Infinite : dropRemainder ? Cardinality / size : (Cardinality + size - 1) / size;
        var x = _x;
        var y = _y;
        Func<IEnumerable<(Tensor, Tensor)>> elements = _rows is { } rows
            ? () => Chunk(rows(), size, dropRemainder).Select(chunk => GatherRows(x, y, chunk))
            : () => Chunk(_elements!(), size, dropRemainder).Select(chunk =>
                (Tensor.Stack(chunk.Select(e => e.X).ToArray()), Tensor.Stack(chunk.Select(e => e.Y).ToArray())));
        return new Dataset(_x, _y, null, elements, cardinality, isBatched: true);
    }

    /// <summary>Repeats the dataset <paramref name="count"/> times, or forever when null.</summary>
    public Dataset Repeat(int? count = null)
    {
        if (count is < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Dataset.Repeat: the count must be non-negative.");
        long cardinality = count is null || Cardinality == Infinite ? (Cardinality == 0 ? 0 : Infinite) : Cardinality * count.Value;
        var rows = _rows;
        var elements = _elements;
        return new Dataset(_x, _y,
            rows is null ? null : () => RepeatSequence(rows, count),
            elements is null ? null : () => RepeatSequence(elements, count),
            cardinality, IsBatched);
    }

    /// <summary>The first <paramref name="count"/> elements.</summary>
    public Dataset Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return With(r => r.Take(count), e => e.Take(count), Cardinality == Infinite ? count : Math.Min(Cardinality, count), IsBatched);
    }

    /// <summary>Every element after the first <paramref name="count"/>.</summary>
    public Dataset Skip(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return With(r => r.Skip(count), e => e.Skip(count), Cardinality == Infinite ? Infinite : Math.Max(0, Cardinality - count), IsBatched);
    }

    /// <summary>Transforms each element (a batch once batched) with <paramref name="map"/>.</summary>
    public Dataset Map(Func<Tensor, Tensor, (Tensor X, Tensor Y)> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var source = this;
        return new Dataset(_x, _y, null, () => source.Select(e => map(e.X, e.Y)), Cardinality, IsBatched);
    }

    /// <summary>Runs the pipeline and yields its elements.</summary>
    public IEnumerator<(Tensor X, Tensor Y)> GetEnumerator()
    {
        if (_rows is null) return _elements!().GetEnumerator();
        var x = _x;
        var y = _y;
        return _rows().Select(r => (Row(x, r), Row(y, r))).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dataset With(Func<IEnumerable<int>, IEnumerable<int>> onRows,
        Func<IEnumerable<(Tensor X, Tensor Y)>, IEnumerable<(Tensor X, Tensor Y)>> onElements, long cardinality, bool isBatched)
    {
        var rows = _rows;
        var elements = _elements;
        return new Dataset(_x, _y,
            rows is null ? null : () => onRows(rows()),
            elements is null ? null : () => onElements(elements()),
            cardinality, isBatched);
    }

    private Dataset Rows(int[] rows)
    {
        var (x, y) = GatherRows(_x, _y, rows);
        return FromTensorSlices(x, y);
    }

    private static (Tensor X, Tensor Y) GatherRows(Tensor x, Tensor y, int[] rows)
    {
        var indices = Tensor.FromArray(rows, [rows.Length], x.Device);
        return (x.Gather(indices), y.Gather(indices));
    }

    private static Tensor Row(Tensor t, int row) => t.SliceAxis(0, row, 1).Reshape(t.Shape.Skip(1).ToArray());

    private static IEnumerable<T> ShuffleSequence<T>(IEnumerable<T> source, Generator generator)
    {
        var items = source.ToArray();
        generator.Shuffle<T>(items);
        foreach (var item in items) yield return item;
    }

    private static IEnumerable<T> RepeatSequence<T>(Func<IEnumerable<T>> source, int? count)
    {
        for (int i = 0; count is null || i < count; i++)
        {
            bool any = false;
            foreach (var item in source())
            {
                any = true;
                yield return item;
            }
            if (!any) yield break; // an empty dataset repeated forever is still empty, not a hang
        }
    }

    private static IEnumerable<T[]> Chunk<T>(IEnumerable<T> source, int size, bool dropRemainder) =>
        source.Chunk(size).Where(chunk => !dropRemainder || chunk.Length == size);
}
