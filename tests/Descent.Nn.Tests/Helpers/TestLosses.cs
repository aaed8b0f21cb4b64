using Descent.Nn.Losses;
using Descent.Nn.Metrics;

namespace Descent.Nn.Tests.Helpers;

internal sealed class MseLoss() : Loss("mean_squared_error", Reduction.SumOverBatchSize)
{
    public override Tensor Call(Tensor yTrue, Tensor yPred) => (yPred - yTrue.Cast(yPred.DType)).Square().Mean(-1);
}

internal sealed class BinaryCrossentropyLoss() : Loss("binary_crossentropy", Reduction.SumOverBatchSize)
{
    public override Tensor Call(Tensor yTrue, Tensor yPred)
    {
        var y = yTrue.Cast(yPred.DType);
        var p = yPred.Clip(1e-7, 1 - 1e-7);
        return -(y * p.Log() + (1 - y) * (1 - p).Log()).Mean(-1);
    }
}

/// <summary>Sparse categorical cross-entropy from logits.</summary>
internal sealed class SparseCrossentropyLoss() : Loss("sparse_categorical_crossentropy", Reduction.SumOverBatchSize)
{
    public override Tensor Call(Tensor yTrue, Tensor yPred) =>
        -(Tensor.OneHot(yTrue, yPred.Shape[^1], dtype: yPred.DType) * yPred.LogSoftmax(-1)).Sum(-1);
}

/// <summary>Accuracy for probabilities [B, 1] against 0/1 targets, or for class scores [B, K] against labels [B].</summary>
internal sealed class AccuracyMetric() : Metric("accuracy")
{
    private long _correct, _total;

    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        double[] truth = yTrue.ToArray<double>();
        if (yPred.Shape[^1] == 1)
        {
            double[] p = yPred.ToArray<double>();
            for (int i = 0; i < p.Length; i++) _correct += (p[i] > 0.5 ? 1 : 0) == truth[i] ? 1 : 0;
            _total += p.Length;
        }
        else
        {
            long[] predicted = yPred.ArgMax(-1).ToArray<long>();
            for (int i = 0; i < predicted.Length; i++) _correct += predicted[i] == (long)truth[i] ? 1 : 0;
            _total += predicted.Length;
        }
    }

    public override double Result() => _total == 0 ? 0 : (double)_correct / _total;

    public override void ResetState() => (_correct, _total) = (0, 0);
}
