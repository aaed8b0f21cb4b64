using Descent.Nn.Data;
using Descent.Nn.Models;
using Descent.Nn.Training;

namespace Descent.Cli.Training;

/// <summary>A finished training run: the model, its history and how it did on the held-out test rows.</summary>
internal sealed record TrainResult(
    TrainSettings Settings, string DatasetName, TabularData Data, IReadOnlyList<string> SkippedColumns, IScaler Scaler,
    Sequential Model, History History, int TrainRows, int ValidationRows, TabularData Test, int[] TestRowIndices, int[] Predicted,
    double TestLoss, double TestAccuracy, double TrainSeconds, int? StoppedEpoch, int? BestEpoch)
{
    public int EpochsRun => History.Epochs.Count;

    public ConfusionMatrix Confusion => new(Data.ClassNames, Test.Labels!, Predicted);
}
