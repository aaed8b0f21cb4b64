namespace Descent.Nn.Layers;

/// <summary>Reshapes each sample to <see cref="TargetShape"/> (batch axis excluded; one entry may be −1 to be inferred).</summary>
public sealed class Reshape : Layer
{
    /// <summary>Creates the layer; throws ArgumentException when the target has a bad entry or more than one −1.</summary>
    public Reshape(int[] targetShape, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Any(d => d < -1 || d == 0) || targetShape.Count(d => d == -1) > 1)
            throw LayerArgs.Error(this, $"target shape {LayerArgs.Format(targetShape)} must hold positive sizes and at most one -1.");
        TargetShape = (int[])targetShape.Clone();
    }

    /// <summary>The per-sample shape asked for.</summary>
    public int[] TargetShape { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        int size = 1, known = 1;
        foreach (int d in inputShape) size *= d;
        foreach (int d in TargetShape) if (d != -1) known *= d;
        var result = (int[])TargetShape.Clone();
        int infer = Array.IndexOf(result, -1);
        if (infer >= 0 ? size % known != 0 : size != known)
            throw LayerArgs.Error(this, $"cannot reshape input shape {LayerArgs.Format(inputShape)} ({size} elements per sample) to {LayerArgs.Format(TargetShape)}.");
        if (infer >= 0) result[infer] = size / known;
        return result;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        LayerArgs.Config(this, base.GetConfig(), ("target_shape", TargetShape.ToArray()));

    /// <summary>The inverse of <see cref="GetConfig"/>: a new, unbuilt layer from a saved config.</summary>
    internal static Reshape FromConfig(LayerConfig c) => new(c.Ints("target_shape"), c.Name);

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape, Generator generator) => ComputeOutputShape(inputShape);

    /// <inheritdoc/>
    protected override Tensor Forward(Tensor inputs, bool training) =>
        inputs.Reshape([inputs.Shape[0], .. ComputeOutputShape(inputs.Shape.Skip(1).ToArray())]);
}
