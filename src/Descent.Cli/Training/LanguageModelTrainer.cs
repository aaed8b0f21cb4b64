using System.Diagnostics;
using Descent.Nn.Data;
using Descent.Nn.Models;
using Descent.Nn.Language;

namespace Descent.Cli.Training;

/// <summary>
/// The work of <c>descent train --dataset shakespeare</c>, nanoGPT's train.py on shakespeare_char: encode the embedded
/// text with its character vocabulary, split it 90/10 by position, train a <see cref="Gpt"/> on random windows, measure the
/// validation loss every <see cref="LanguageModelSettings.EvalInterval"/> steps, and sample some text at the end. The
/// constructor prepares the data and the model, so a caller can describe them before training starts.
/// </summary>
internal sealed class LanguageModelTrainer
{
    private readonly LanguageModelSettings _s;
    private readonly CharVocabulary _vocabulary;
    private readonly ContextWindows _train, _validation;
    private readonly Sequential _model;

    public LanguageModelTrainer(LanguageModelSettings settings)
    {
        _s = settings;
        string text = EmbeddedDatasets.TinyShakespeare();
        _vocabulary = CharVocabulary.FromText(text);
        (_train, _validation) = new ContextWindows(_vocabulary.Encode(text), settings.Context).Split(0.9);
        _model = settings.Model == "lstm"
            ? CharRnn.Create(_vocabulary.Size, settings.Context, settings.Layers, settings.Width, settings.Dropout, settings.Seed)
            : Gpt.Create(_vocabulary.Size, settings.Context, settings.Layers, settings.Heads, settings.Width, settings.Dropout, settings.Seed);
        Parameters = _model.TrainableVariables.Sum(v => (long)v.Size);
    }

    /// <summary>The number of trained scalars.</summary>
    public long Parameters { get; }

    /// <summary>Trains; <paramref name="stepDone"/> runs after every step with its loss, <paramref name="evaluated"/> after every validation.</summary>
    public LanguageModelResult Run(Action<int, double>? stepDone = null, Action<LanguageModelEvaluation>? evaluated = null)
    {
        var s = _s;
        var step = new LanguageModelStep(_model, LanguageModelStep.Optimizer(s.LearningRate, s.Steps, s.WarmupSteps));
        // Separate streams, so that validating more or less often does not change which windows train.
        var batches = new Generator(s.Seed);
        var validationBatches = new Generator(s.Seed + 1);
        var evaluations = new List<LanguageModelEvaluation>();
        var stepLosses = new double[s.Steps];
        double intervalLoss = 0, stepSeconds = 0;
        int intervalSteps = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 1; i <= s.Steps; i++)
        {
            var (x, y) = _train.Sample(s.BatchSize, batches);
            long started = Stopwatch.GetTimestamp();
            double loss = stepLosses[i - 1] = step.Run(x, y).Item<float>();
            // A diverged run stops here, before anything is saved, as the classifiers' training does.
            if (!double.IsFinite(loss))
                throw new InvalidOperationException($"training diverged at step {i}: the loss became {loss}; nothing was saved. Try a lower --lr.");
            stepSeconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
            intervalLoss += loss;
            intervalSteps++;
            stepDone?.Invoke(i, loss);
            if (i % LanguageModelSettings.EvalInterval == 0 || i == s.Steps)
            {
                var point = new LanguageModelEvaluation(i, intervalLoss / intervalSteps,
                    MeanLoss(_model, _validation, LanguageModelSettings.EvalBatches, s.BatchSize, validationBatches));
                evaluations.Add(point);
                evaluated?.Invoke(point);
                (intervalLoss, intervalSteps) = (0, 0);
            }
        }
        double seconds = clock.Elapsed.TotalSeconds;

        double trainLoss = MeanLoss(_model, _train, LanguageModelSettings.FinalEvalBatches, s.BatchSize, new Generator(s.Seed + 2));
        double valLoss = MeanLoss(_model, _validation, LanguageModelSettings.FinalEvalBatches, s.BatchSize, new Generator(s.Seed + 3));
        var languageModel = new LanguageModel(_model, _vocabulary);
        string sample = languageModel.Generate("\n", LanguageModelSettings.SampleLength, LanguageModelSettings.SampleTemperature,
            LanguageModelSettings.SampleTopK, s.Seed);
        return new LanguageModelResult(s, languageModel, Parameters, _train.Length, _validation.Length, stepLosses, evaluations, trainLoss, valLoss,
            seconds, stepSeconds * 1e3 / s.Steps, sample);
    }

    /// <summary>nanoGPT's estimate_loss: the mean loss over <paramref name="count"/> random batches, with training off.</summary>
    public static double MeanLoss(Sequential model, ContextWindows windows, int count, int batchSize, Generator generator)
    {
        Tensor? total = null;
        for (int i = 0; i < count; i++)
        {
            var (x, y) = windows.Sample(batchSize, generator);
            var loss = LanguageModelStep.Loss(model.Call(x), y);
            total = total is null ? loss : total + loss;
        }
        return total!.Item<float>() / count;
    }
}
