using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Cli.Training;

/// <summary>
/// One training step of a language model on a batch of windows: logits for every position, the mean softmax
/// cross-entropy against the next tokens (the fused primitive), gradients, and the optimizer's clipped, scheduled update.
/// It reads nothing back to the host: the loss comes back as a device scalar. <c>descent train</c> and the
/// <c>babygpt_step</c> benchmark both run it.
/// </summary>
internal sealed class LanguageModelStep
{
    private readonly Sequential _model;
    private readonly Optimizer _optimizer;
    private readonly IReadOnlyList<Variable> _variables;

    public LanguageModelStep(Sequential model, Optimizer optimizer)
    {
        _model = model;
        _optimizer = optimizer;
        _variables = model.TrainableVariables;
    }

    /// <summary>
    /// nanoGPT's optimizer: AdamW (betas 0.9/0.99, weight decay 0.1 on every parameter, as the benchmark peer's) with the
    /// global gradient norm clipped at 1.0; with <paramref name="steps"/>, a linear warm-up from a hundredth of the rate
    /// and then a cosine decay to a tenth of it at the last step.
    /// </summary>
    public static AdamW Optimizer(double learningRate, int? steps = null, int warmupSteps = 0)
    {
        var adamW = new AdamW(learningRate, LanguageModelSettings.Beta1, LanguageModelSettings.Beta2, weightDecay: LanguageModelSettings.WeightDecay)
        {
            GlobalClipNorm = LanguageModelSettings.ClipNorm,
        };
        if (steps is int total)
            adamW.Schedule = warmupSteps > 0
                ? new CosineDecay(learningRate / 100, Math.Max(1, total - warmupSteps), LanguageModelSettings.FinalRateFraction, learningRate, warmupSteps)
                : new CosineDecay(learningRate, Math.Max(1, total), LanguageModelSettings.FinalRateFraction);
        return adamW;
    }

    /// <summary>One step on windows <paramref name="x"/> [batch, time] with next tokens <paramref name="y"/>; returns the batch's mean loss.</summary>
    public Tensor Run(Tensor x, Tensor y)
    {
        Tensor loss;
        Tensor?[] gradients;
        using (var tape = new GradientTape())
        {
            loss = Loss(_model.Call(x, training: true), y);
            gradients = tape.Gradient(loss, _variables);
        }
        _optimizer.ApplyGradients(gradients, _variables);
        return loss;
    }

    /// <summary>The mean cross-entropy of logits [batch, time, vocabulary] against next tokens [batch, time].</summary>
    public static Tensor Loss(Tensor logits, Tensor y)
    {
        int rows = y.Size, vocabulary = logits.Shape[^1];
        return Tensor.SparseSoftmaxCrossEntropy(logits.Reshape(rows, vocabulary), y.Reshape(rows)).Mean();
    }
}
