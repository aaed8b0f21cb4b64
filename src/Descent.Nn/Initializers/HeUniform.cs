namespace Descent.Nn.Initializers;

/// <summary>He uniform: U(−l, l) with l = √(6 / fan_in).</summary>
public sealed class HeUniform() : VarianceScaling(2.0, "fan_in", "uniform");
