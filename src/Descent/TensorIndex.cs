namespace Descent;

/// <summary>One entry of a tensor indexer: an integer position (which drops the axis) or a range (which keeps it).</summary>
public readonly struct TensorIndex
{
    private TensorIndex(Index index, Range? range)
    {
        Index = index;
        Range = range;
    }

    internal Index Index { get; }

    internal Range? Range { get; }

    public static implicit operator TensorIndex(int index) =>
        new(index >= 0 ? new Index(index) : Index.FromEnd(-index), null);

    public static implicit operator TensorIndex(Index index) => new(index, null);

    public static implicit operator TensorIndex(Range range) => new(default, range);
}
