namespace Descent.Nn.Optimizers;

/// <summary>
/// A learning rate that depends on the step, as Keras's LearningRateSchedule. Optimizers deriving from
/// <see cref="KerasOptimizer"/> call <see cref="At"/> with their <c>Iterations</c> count (0 for the first step).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for zero-based <paramref name="step"/>; never negative.</summary>
    public abstract double At(long step);
}
