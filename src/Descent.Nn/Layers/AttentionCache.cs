namespace Descent.Nn.Layers;

/// <summary>
/// The keys and values a <see cref="MultiHeadAttention"/> layer has computed for the positions it has seen so far, so
/// that each new position of a generated sequence costs one position's work (keras_hub's cache). Start with an empty
/// one per layer and sequence; <see cref="MultiHeadAttention.CallWithCache"/> appends to it.
/// </summary>
public sealed class AttentionCache
{
    /// <summary>The keys so far, [batch, heads, positions, keyDim]; null before the first call.</summary>
    public Tensor? Keys { get; private set; }

    /// <summary>The values so far, [batch, heads, positions, valueDim]; null before the first call.</summary>
    public Tensor? Values { get; private set; }

    /// <summary>How many positions the cache holds.</summary>
    public int Length => Keys?.Shape[2] ?? 0;

    /// <summary>Forgets every position, to start a new sequence.</summary>
    public void Clear() => (Keys, Values) = (null, null);

    /// <summary>Appends the keys and values of new positions and returns everything held.</summary>
    internal (Tensor Keys, Tensor Values) Append(Tensor keys, Tensor values)
    {
        Keys = Keys is null ? keys : Tensor.Concat([Keys, keys], axis: 2);
        Values = Values is null ? values : Tensor.Concat([Values, values], axis: 2);
        return (Keys, Values);
    }
}
