namespace Descent.Backends;

/// <summary>The distributions <see cref="IBackend.Random"/> samples; (a, b) are (min, max) or (mean, stddev).</summary>
public enum RandomDistribution
{
    /// <summary>Uniform in [a, b).</summary>
    Uniform,

    /// <summary>Normal with mean a and standard deviation b.</summary>
    Normal,

    /// <summary>Normal with mean a and standard deviation b, redrawn until within two standard deviations.</summary>
    TruncatedNormal,
}
