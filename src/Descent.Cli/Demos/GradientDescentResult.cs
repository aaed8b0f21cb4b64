namespace Descent.Cli.Demos;

/// <summary>The outcome of <see cref="GradientDescentDemo.Run"/>.</summary>
/// <param name="History">x_0 … x_n: one entry per point visited, the start and the final point included,
/// so it always holds <paramref name="Iterations"/> + 1 entries. The article's list <c>ls</c> is the
/// Y of the first n entries.</param>
/// <param name="Iterations">n, the number of updates applied: the epochs asked for, or fewer when the
/// iteration was stopped before an overflow.</param>
/// <param name="OverflowIteration">When stopped: the iteration k whose x_k would have made y overflow
/// to infinity (or NaN); x_k was not applied. Null otherwise.</param>
internal sealed record GradientDescentResult(
    double X0,
    double LearningRate,
    int Epochs,
    GradientDescentRegime Regime,
    int Iterations,
    int? OverflowIteration,
    IReadOnlyList<GradientDescentStep> History)
{
    /// <summary>r = 1 - 6·lr: each update multiplies x - (-1/3) by r.</summary>
    public double Rate => 1 - 6 * LearningRate;

    /// <summary>x_n, the point after the last update applied.</summary>
    public double FinalX => History[^1].X;

    /// <summary>f(x_n).</summary>
    public double FinalY => History[^1].Y;

    /// <summary>What the article's <c>print(ls[-1])</c> shows: y_(n-1) = f(x_(n-1)), evaluated before
    /// the last update. Null when no update was made (<c>ls</c> would be empty).</summary>
    public double? ArticleResult => Iterations > 0 ? History[^2].Y : null;

    /// <summary>True when the loop was cut short because the next value would not be finite.</summary>
    public bool Stopped => OverflowIteration is not null;
}
