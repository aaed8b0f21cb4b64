namespace Descent.Optimizers;

/// <summary>
/// A learning rate that depends on the step, as Keras's LearningRateSchedule. An <see cref="Optimizer"/> with a
/// <see cref="Optimizer.Schedule"/> calls <see cref="At"/> with their <c>Iterations</c> count (0 for the first step).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for zero-based <paramref name="step"/>; never negative.</summary>
    public abstract double At(long step);
}
