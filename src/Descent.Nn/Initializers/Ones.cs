namespace Descent.Nn.Initializers;

/// <summary>All ones.</summary>
public sealed class Ones() : Constant(1);
