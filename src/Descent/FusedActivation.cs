namespace Descent;

/// <summary>The activations a fused dense op applies in the same pass as its bias; each has a derivative readable from its output.</summary>
public enum FusedActivation
{
    Linear,
    Relu,
    Sigmoid,
    Tanh,
}
