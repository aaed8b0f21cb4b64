namespace Descent;

// Softmax cross-entropy with integer labels, fused: one pass gives the loss and, when a tape needs it,
// the gradient softmax − onehot. It matches the composed −LogSoftmax(logits)[label] (tested).
public partial class Tensor
{
    /// <summary>
    /// Per-sample softmax cross-entropy of <paramref name="logits"/> [batch, classes] against int
    /// <paramref name="labels"/> [batch], as tf.nn.sparse_softmax_cross_entropy_with_logits: shape [batch].
    /// </summary>
    public static Tensor SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        logits.CheckFloat("SparseSoftmaxCrossEntropy");
        if (!labels.DType.IsInteger())
            throw new ArgumentException($"SparseSoftmaxCrossEntropy: labels must be int32 or int64, got {labels.DType.Name()}.");
        if (logits.Rank != 2 || labels.Rank != 1 || labels.Dims[0] != logits.Dims[0])
            throw new ArgumentException($"SparseSoftmaxCrossEntropy: expects logits [batch, classes] and labels [batch], got {ShapeUtil.Format(logits.Dims)} and {ShapeUtil.Format(labels.Dims)}.");
        logits.CheckSameDevice("SparseSoftmaxCrossEntropy", labels);
        int classes = logits.Dims[1];
        labels.CheckRange(classes, () =>
        {
            long lowest = labels.Min().Item<long>(), highest = labels.Max().Item<long>();
            return new ArgumentException($"SparseSoftmaxCrossEntropy: label {(lowest < 0 ? lowest : highest)} is outside [0, {classes}).");
        });
        return SparseSoftmaxCrossEntropyOfCheckedLabels(logits, labels);
    }

    /// <summary>
    /// <see cref="SparseSoftmaxCrossEntropy"/> for callers that have checked the shapes, devices and label range
    /// themselves (the Keras loss, whose message names the bad label's position): the range check is five kernels,
    /// a seventh of a small training step's launches on a GPU.
    /// </summary>
    internal static Tensor SparseSoftmaxCrossEntropyOfCheckedLabels(Tensor logits, Tensor labels)
    {
        var loss = Empty([logits.Dims[0]], logits.DType, logits.Backend);
        var gradient = GradientTape.IsActive ? Empty(logits.Dims, logits.DType, logits.Backend) : null;
        logits.Backend.SoftmaxCrossEntropy(logits.Storage, logits.Layout, labels.Storage, labels.Layout, loss.Storage, gradient?.Storage);
        if (gradient is null) return loss;
        // The saved gradient is itself an op of the logits, so an outer tape can differentiate it again.
        var dLogits = GradientTape.Record(gradient, logits, (g, _) =>
        {
            var p = logits.Softmax();
            return p * (g - (g * p).Sum(-1, keepDims: true));
        });
        return GradientTape.Record(loss, logits, (g, _) => dLogits * g.Unsqueeze(-1));
    }
}
