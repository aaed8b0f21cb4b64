namespace Descent;

/// <summary>
/// One entry of a tensor indexer, as in NumPy's basic indexing: an integer position (which drops its axis), a range
/// or a strided <see cref="Slice(Range, int)"/> (which keep it), <see cref="Ellipsis"/> (every axis not otherwise
/// indexed) or <see cref="NewAxis"/> (a new axis of size 1). NumPy's <c>x[1:4, ::2]</c> is <c>x[1..4, TensorIndex.Slice(.., 2)]</c>,
/// <c>x[..., 0]</c> is <c>x[TensorIndex.Ellipsis, 0]</c> and <c>x[None, :]</c> is <c>x[TensorIndex.NewAxis, ..]</c>.
/// </summary>
public readonly struct TensorIndex
{
    internal enum Kinds { Position, Range, Ellipsis, NewAxis }

    private TensorIndex(Kinds kind, Index index, Range range, int step)
    {
        Kind = kind;
        Index = index;
        Range = range;
        Step = step;
    }

    internal Kinds Kind { get; }

    internal Index Index { get; }

    internal Range Range { get; }

    internal int Step { get; }

    /// <summary>True for entries that stand for one axis of the tensor (a position, a range or a slice).</summary>
    internal bool ConsumesAxis => Kind is Kinds.Position or Kinds.Range;

    /// <summary>NumPy's <c>...</c>: as many full ranges as it takes to index every axis. At most one per indexer.</summary>
    public static TensorIndex Ellipsis { get; } = new(Kinds.Ellipsis, default, default, 1);

    /// <summary>NumPy's <c>None</c> (<c>np.newaxis</c>): inserts an axis of size 1 at this place of the result.</summary>
    public static TensorIndex NewAxis { get; } = new(Kinds.NewAxis, default, default, 1);

    /// <summary>
    /// Every <paramref name="step"/>-th element of <paramref name="range"/>: <c>Slice(1..7, 2)</c> takes 1, 3, 5 and
    /// <c>Slice(.., 3)</c> every third element. The range is clamped to the axis as a plain range is. The step must be
    /// positive; the result is still a view (its stride is the axis's stride times the step).
    /// </summary>
    public static TensorIndex Slice(Range range, int step = 1) => new(Kinds.Range, default, range, CheckStep(step));

    /// <summary>
    /// Python's <c>start:stop:step</c>, with Python's conventions: a null bound means the start or the end of the axis,
    /// a negative one counts from the end (<c>Slice(-3, null)</c> is the last three), and bounds past the axis are clamped.
    /// The step must be positive.
    /// </summary>
    public static TensorIndex Slice(int? start = null, int? stop = null, int step = 1) =>
        Slice(new Range(Bound(start, 0), Bound(stop, ^0)), step);

    private static Index Bound(int? value, Index missing) =>
        value is not { } v ? missing : v >= 0 ? new Index(v) : Index.FromEnd(v == int.MinValue ? int.MaxValue : -v);

    // A negative stride would be a layout too, but not one every kernel accepts (the matrix multiply takes its operands
    // as spans from their first element), and PyTorch refuses negative steps as well.
    private static int CheckStep(int step) => step > 0 ? step
        : throw new ArgumentOutOfRangeException(nameof(step), step,
            $"TensorIndex.Slice: the step must be positive, got {step}" +
            (step < 0 ? "; negative steps are not supported, so reverse an axis with Gather and descending indices." : "."));

    /// <summary>A position; a negative one counts from the end (<c>-1</c> is the last, as <c>^1</c>).</summary>
    public static implicit operator TensorIndex(int index) =>
        new(Kinds.Position, index >= 0 ? new Index(index) : Index.FromEnd(-index), default, 1);

    /// <summary>A position, from the start or (<c>^1</c>) from the end.</summary>
    public static implicit operator TensorIndex(Index index) => new(Kinds.Position, index, default, 1);

    /// <summary>A range of positions with step 1; bounds past the axis are clamped.</summary>
    public static implicit operator TensorIndex(Range range) => new(Kinds.Range, default, range, 1);
}
