using Descent.Nn.Language;

namespace Descent.Cli.Training;

/// <summary>One validation point of a language-model run: the mean training loss of the steps since the last point, and the validation loss.</summary>
internal sealed record LanguageModelEvaluation(int Step, double TrainLoss, double ValLoss);

/// <summary>What <c>descent train --dataset shakespeare</c> did: the trained model, its losses and times, and a sample of its text.</summary>
internal sealed record LanguageModelResult(
    LanguageModelSettings Settings, LanguageModel Model, long Parameters, int TrainTokens, int ValidationTokens,
    IReadOnlyList<double> StepLosses, IReadOnlyList<LanguageModelEvaluation> Evaluations, double TrainLoss, double ValLoss, double TrainSeconds, double StepMilliseconds,
    string Sample);
