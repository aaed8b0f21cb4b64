namespace Descent.Nn.Initializers;

/// <summary>LeCun uniform: U(−l, l) with l = √(3 / fan_in).</summary>
public sealed class LecunUniform() : VarianceScaling(1.0, "fan_in", "uniform");
