namespace Descent.Nn.Initializers;

/// <summary>LeCun normal: truncated normal with stddev √(1 / fan_in) / 0.8796, suited to SELU.</summary>
public sealed class LecunNormal() : VarianceScaling(1.0, "fan_in", "truncated_normal");
