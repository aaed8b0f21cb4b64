namespace Descent.Nn.Initializers;

/// <summary>Glorot (Xavier) normal: truncated normal with stddev √(2 / (fan_in + fan_out)) / 0.8796 (so the truncated samples have that variance before the correction).</summary>
public sealed class GlorotNormal() : VarianceScaling(1.0, "fan_avg", "truncated_normal");
