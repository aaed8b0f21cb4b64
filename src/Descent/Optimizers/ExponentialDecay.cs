namespace Descent.Optimizers;

/// <summary>
/// Keras's ExponentialDecay: lr₀ · rate^(step / decaySteps), with the exponent floored when <see cref="Staircase"/>.
/// </summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, bool staircase = false)
    {
        InitialLearningRate = HyperparameterCheck.NonNegative(nameof(ExponentialDecay), nameof(initialLearningRate), initialLearningRate);
        DecaySteps = decaySteps > 0 ? decaySteps
            : throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"ExponentialDecay: decaySteps must be positive, got {decaySteps}.");
        DecayRate = HyperparameterCheck.Positive(nameof(ExponentialDecay), nameof(decayRate), decayRate);
        Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }
    /// <summary>Steps over which the rate is multiplied by DecayRate once.</summary>
    public long DecaySteps { get; }
    /// <summary>Factor applied per DecaySteps steps.</summary>
    public double DecayRate { get; }
    /// <summary>Whether the exponent is floored, giving discrete drops.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    public override double At(long step)
    {
        double p = (double)step / DecaySteps;
        return InitialLearningRate * Math.Pow(DecayRate, Staircase ? Math.Floor(p) : p);
    }
}
