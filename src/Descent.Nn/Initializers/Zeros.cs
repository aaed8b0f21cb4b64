namespace Descent.Nn.Initializers;

/// <summary>All zeros; Keras's default bias initializer.</summary>
public sealed class Zeros() : Constant(0);
