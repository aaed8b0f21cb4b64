namespace Descent.Optimizers;

/// <summary>
/// Keras's CosineDecay with optional linear warm-up. Without warm-up: lr₀ · ((1 − α) · ½(1 + cos(π · t / decaySteps)) + α)
/// with t = min(step, decaySteps). With <c>warmupTarget</c>: the rate rises linearly from lr₀ to the target over
/// <c>warmupSteps</c>, then decays from the target by the same cosine over the next <c>decaySteps</c>, then stays at α · target.
/// </summary>
public sealed class CosineDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    public CosineDecay(double initialLearningRate, long decaySteps, double alpha = 0, double? warmupTarget = null, long warmupSteps = 0)
    {
        InitialLearningRate = HyperparameterCheck.NonNegative(nameof(CosineDecay), nameof(initialLearningRate), initialLearningRate);
        DecaySteps = decaySteps > 0 ? decaySteps
            : throw new ArgumentOutOfRangeException(nameof(decaySteps), decaySteps, $"CosineDecay: decaySteps must be positive, got {decaySteps}.");
        Alpha = alpha is >= 0 and <= 1 ? alpha
            : throw new ArgumentOutOfRangeException(nameof(alpha), alpha, $"CosineDecay: alpha must be in [0, 1], got {alpha}.");
        if (warmupTarget is { } t) HyperparameterCheck.NonNegative(nameof(CosineDecay), nameof(warmupTarget), t);
        WarmupTarget = warmupTarget;
        WarmupSteps = warmupSteps >= 0 ? warmupSteps
            : throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, $"CosineDecay: warmupSteps must be non-negative, got {warmupSteps}.");
        if (warmupSteps > 0 && warmupTarget is null)
            throw new ArgumentException("CosineDecay: warmupSteps needs a warmupTarget (the rate reached at the end of the warm-up).", nameof(warmupTarget));
    }

    /// <summary>The rate at step 0 (the start of the warm-up when there is one).</summary>
    public double InitialLearningRate { get; }
    /// <summary>Length of the cosine decay, after any warm-up.</summary>
    public long DecaySteps { get; }
    /// <summary>The final rate as a fraction of the rate decayed from.</summary>
    public double Alpha { get; }
    /// <summary>The rate reached at the end of the warm-up; null for no warm-up.</summary>
    public double? WarmupTarget { get; }
    /// <summary>Length of the linear warm-up.</summary>
    public long WarmupSteps { get; }

    /// <inheritdoc/>
    public override double At(long step)
    {
        if (WarmupTarget is not { } target)
            return Decay(Math.Min(step, DecaySteps), InitialLearningRate);
        step = Math.Min(step, DecaySteps + WarmupSteps);
        return step < WarmupSteps
            ? InitialLearningRate + (target - InitialLearningRate) * ((double)step / WarmupSteps)
            : Decay(step - WarmupSteps, target);
    }

    private double Decay(long step, double from)
    {
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * step / DecaySteps));
        return from * ((1 - Alpha) * cosine + Alpha);
    }
}
