namespace Descent;

/// <summary>The activations a fused dense op applies in the same pass as its bias; each has a derivative readable from its output.</summary>
public enum FusedActivation
{
    /// <summary>None: y = x.</summary>
    Linear,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh,
}
