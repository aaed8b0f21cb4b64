namespace Descent.Nn.Initializers;

/// <summary>Glorot (Xavier) uniform: U(−l, l) with l = √(6 / (fan_in + fan_out)); Keras's default kernel initializer.</summary>
public sealed class GlorotUniform() : VarianceScaling(1.0, "fan_avg", "uniform");
