using Descent.Nn.Data;
using Descent.Nn.Models;
using Descent.Nn.Training;

namespace Descent.Cli.Training;

/// <summary>
/// A finished training run: the model, its history and how it did on the held-out test rows. <see cref="InterruptedEpoch"/>
/// is the epoch (from 1) that Ctrl-C cut short; the model then holds the weights of the epoch before it.
/// </summary>
internal sealed record TrainResult(
    TrainSettings Settings, string DatasetName, TabularData Data, IReadOnlyList<string> SkippedColumns, IScaler Scaler,
    Sequential Model, History History, int TrainRows, int ValidationRows, TabularData Test, int[] TestRowIndices, int[] Predicted,
    double TestLoss, double TestAccuracy, double TrainSeconds, int? StoppedEpoch, int? BestEpoch,
    IReadOnlyList<string> IgnoredColumns, IReadOnlyList<string> Warnings, int? InterruptedEpoch)
{
    public int EpochsRun => History.Epochs.Count;

    public bool Interrupted => InterruptedEpoch is not null;

    public ConfusionMatrix Confusion => new(Data.ClassNames, Test.Labels!, Predicted);
}
