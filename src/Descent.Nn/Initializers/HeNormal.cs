namespace Descent.Nn.Initializers;

/// <summary>He normal: truncated normal with stddev √(2 / fan_in) / 0.8796, suited to ReLU layers.</summary>
public sealed class HeNormal() : VarianceScaling(2.0, "fan_in", "truncated_normal");
