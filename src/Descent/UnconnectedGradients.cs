namespace Descent;

/// <summary>What <see cref="GradientTape.Gradient(Tensor, Tensor, UnconnectedGradients)"/> returns for a source the target does not depend on.</summary>
public enum UnconnectedGradients
{
    /// <summary>Return null, as TensorFlow does by default.</summary>
    None,

    /// <summary>Return zeros of the source's shape.</summary>
    Zero,
}
