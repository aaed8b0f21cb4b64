namespace Descent.Optimizers;

/// <summary>
/// PyTorch's StepLR as a schedule: lr₀ · gamma^⌊step / stepSize⌋, so the rate drops by <see cref="Gamma"/> every
/// <see cref="StepSize"/> steps.
/// </summary>
public sealed class StepDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public StepDecay(double initialLearningRate, long stepSize, double gamma = 0.1)
    {
        InitialLearningRate = HyperparameterCheck.NonNegative(nameof(StepDecay), nameof(initialLearningRate), initialLearningRate);
        StepSize = stepSize > 0 ? stepSize
            : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, $"StepDecay: stepSize must be positive, got {stepSize}.");
        Gamma = HyperparameterCheck.Positive(nameof(StepDecay), nameof(gamma), gamma);
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }
    /// <summary>Steps between drops.</summary>
    public long StepSize { get; }
    /// <summary>Factor applied at each drop.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override double At(long step) => InitialLearningRate * Math.Pow(Gamma, step / StepSize);
}
