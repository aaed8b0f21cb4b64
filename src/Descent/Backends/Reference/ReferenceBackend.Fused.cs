namespace Descent.Backends.Reference;

// The fused primitives, each written as the plain formula it stands for.
internal sealed partial class ReferenceBackend
{
    public void BiasActivation(Storage y, Layout yLayout, Storage? bias, Layout? biasLayout, FusedActivation activation)
    {
        var output = Own(y, "BiasActivation");
        var b = bias is null ? null : Own(bias, "BiasActivation");
        Expect("Dense", y.DType, bias);
        if (!y.DType.IsFloat()) throw new ArgumentException($"Dense: not defined for {y.DType.Name()} tensors.");
        int columns = yLayout.Dims[1];
        for (int i = 0; i < yLayout.Size; i++)
        {
            int at = At(yLayout, i);
            double v = output.Real(at);
            if (b is not null) v += b.Real(At(biasLayout!, i % columns)); // not "+ 0" without a bias: that would turn −0 into +0
            output.SetReal(at, activation switch
            {
                FusedActivation.Relu => Math.Max(v, 0),
                FusedActivation.Sigmoid => 1 / (1 + Math.Exp(-v)),
                FusedActivation.Tanh => Math.Tanh(v),
                _ => v,
            });
        }
    }

    public void ScaledAdd(Storage y, Layout yLayout, Storage x, Layout xLayout, double alpha)
    {
        var (output, input) = (Own(y, "ScaledAdd"), Own(x, "ScaledAdd"));
        Expect("ScaledAdd", y.DType, x);
        if (!y.DType.IsFloat()) throw new ArgumentException($"ScaledAdd: not defined for {y.DType.Name()} tensors.");
        // The optimizers' update y + alpha·x, rounded as its unfused spelling is: alpha and the product are rounded
        // to y's dtype before the add, so a fused step gives the same bits as the formula written with ops.
        double scale = ReferenceStorage.Round(y.DType, alpha);
        for (int i = 0; i < yLayout.Size; i++)
        {
            int at = At(yLayout, i);
            output.SetReal(at, output.Real(at) + ReferenceStorage.Round(y.DType, scale * input.Real(At(xLayout, i))));
        }
    }

    public void SoftmaxCrossEntropy(Storage logits, Layout logitsLayout, Storage labels, Layout labelsLayout, Storage loss, Storage? gradient)
    {
        var (x, classes, losses) = (Own(logits, "SoftmaxCrossEntropy"), Own(labels, "SoftmaxCrossEntropy"), Own(loss, "SoftmaxCrossEntropy"));
        var dx = gradient is null ? null : Own(gradient, "SoftmaxCrossEntropy");
        if (!logits.DType.IsFloat()) throw new ArgumentException($"SparseSoftmaxCrossEntropy: logits must be float32 or float64, got {logits.DType.Name()}.");
        if (!labels.DType.IsInteger()) throw new ArgumentException($"SparseSoftmaxCrossEntropy: labels must be int32 or int64, got {labels.DType.Name()}.");
        Expect("SparseSoftmaxCrossEntropy", logits.DType, loss, gradient);
        int rows = logitsLayout.Dims[0], columns = logitsLayout.Dims[1];
        for (int r = 0; r < rows; r++)
        {
            double Logit(int c) => x.Real(At(logitsLayout, r * columns + c));
            // Shifting by the row's maximum keeps every exponential ≤ 1; the loss is unchanged.
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < columns; c++) max = Math.Max(max, Logit(c));
            for (int c = 0; c < columns; c++) sum += Math.Exp(Logit(c) - max);
            int label = CheckedIndex("SparseSoftmaxCrossEntropy", classes.Integer(At(labelsLayout, r)), columns);
            losses.SetReal(r, (max - Logit(label)) + Math.Log(sum)); // logsumexp(row) − row[label]
            if (dx is null) continue;
            for (int c = 0; c < columns; c++) dx.SetReal(r * columns + c, Math.Exp(Logit(c) - max) / sum - (c == label ? 1 : 0));
        }
    }

    public void AdamStep(Storage w, Layout wLayout, Storage g, Layout gLayout, Storage m, Storage v, Storage? vMax, AdamStepArgs args)
    {
        var (weights, gradient, mean, variance) = (Own(w, "AdamStep"), Own(g, "AdamStep"), Own(m, "AdamStep"), Own(v, "AdamStep"));
        var maxVariance = vMax is null ? null : Own(vMax, "AdamStep");
        Expect("AdamStep", w.DType, g, m, v, vMax);
        if (!w.DType.IsFloat()) throw new ArgumentException($"Adam: not defined for {w.DType.Name()} variables.");
        // Every product, sum and quotient is rounded to the dtype, as each op of the unfused formula rounds its result.
        double R(double x) => ReferenceStorage.Round(w.DType, x);
        double b1 = R(args.Beta1), b2 = R(args.Beta2), c1 = R(1 - args.Beta1), c2 = R(1 - args.Beta2);
        double step = R(args.StepSize), correction = R(args.Correction2), eps = R(args.Epsilon), l2 = R(args.L2), decay = R(args.DecayFactor);
        for (int i = 0; i < wLayout.Size; i++)
        {
            int at = At(wLayout, i);
            double wi = weights.Real(at), gi = gradient.Real(At(gLayout, i));
            if (args.DecayFactor != 1) wi = R(wi * decay);
            if (args.L2 != 0) gi = R(gi + R(wi * l2));
            double mi = R(R(mean.Real(i) * b1) + R(gi * c1));
            double vi = R(R(variance.Real(i) * b2) + R(R(gi * gi) * c2));
            mean.SetReal(i, mi);
            variance.SetReal(i, vi);
            if (maxVariance is not null)
            {
                vi = double.IsNaN(vi) || double.IsNaN(maxVariance.Real(i)) ? double.NaN : Math.Max(maxVariance.Real(i), vi);
                maxVariance.SetReal(i, vi);
            }
            weights.SetReal(at, wi - R(R(mi / R(R(R(Math.Sqrt(vi)) / correction) + eps)) * step));
        }
    }
}
