namespace Descent.Optimizers;

// Argument checks shared by the optimizers and schedules, so every message has the same shape.
internal static class HyperparameterCheck
{
    public static double Positive(string owner, string name, double value) =>
        value > 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{owner}: {name} must be positive and finite, got {value}.");

    public static double NonNegative(string owner, string name, double value) =>
        value >= 0 && double.IsFinite(value) ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{owner}: {name} must be non-negative and finite, got {value}.");

    /// <summary>A decay factor such as Adam's betas or RMSprop's rho: in [0, 1).</summary>
    public static double UnitInterval(string owner, string name, double value) =>
        value >= 0 && value < 1 ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{owner}: {name} must be in [0, 1), got {value}.");
}
