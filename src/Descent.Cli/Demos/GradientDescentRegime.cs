namespace Descent.Cli.Demos;

/// <summary>What the update does to the distance to the minimum, which it multiplies by r = 1 - 6·lr.</summary>
internal enum GradientDescentRegime
{
    /// <summary>|r| &lt; 1 (0 &lt; lr &lt; 1/3): x approaches the minimum.</summary>
    Converges,

    /// <summary>r = -1 (lr = 1/3): x jumps between x0 and -2/3 - x0 forever.</summary>
    Oscillates,

    /// <summary>r = 1 (lr = 0): x never moves.</summary>
    Stalls,

    /// <summary>|r| &gt; 1 (lr &gt; 1/3 or lr &lt; 0): x runs away from the minimum.</summary>
    Diverges,
}
