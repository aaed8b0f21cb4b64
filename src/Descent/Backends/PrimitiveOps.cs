namespace Descent.Backends;

/// <summary>Elementwise functions of one argument, the closed set every backend implements.</summary>
public enum UnaryOp
{
    /// <summary>−x.</summary>
    Negate,

    /// <summary>|x|.</summary>
    Abs,

    /// <summary>−1, 0 or 1 by the sign of x.</summary>
    Sign,

    /// <summary>x².</summary>
    Square,

    /// <summary>√x.</summary>
    Sqrt,

    /// <summary>1 / √x.</summary>
    Rsqrt,

    /// <summary>1 / x.</summary>
    Reciprocal,

    /// <summary>eˣ.</summary>
    Exp,

    /// <summary>The natural logarithm.</summary>
    Log,

    /// <summary>log(1 + x), accurate for small x.</summary>
    Log1p,

    /// <summary>The sine, in radians.</summary>
    Sin,

    /// <summary>The cosine, in radians.</summary>
    Cos,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh,

    /// <summary>1 / (1 + e^−x).</summary>
    Sigmoid,

    /// <summary>max(x, 0).</summary>
    Relu,

    /// <summary>The Gauss error function.</summary>
    Erf,

    /// <summary>The largest integer not above x.</summary>
    Floor,

    /// <summary>The nearest integer, halves to even (as NumPy and TensorFlow round).</summary>
    Round,
}

/// <summary>Elementwise functions of two broadcast arguments.</summary>
public enum BinaryOp
{
    /// <summary>a + b.</summary>
    Add,

    /// <summary>a − b.</summary>
    Subtract,

    /// <summary>a · b.</summary>
    Multiply,

    /// <summary>a / b.</summary>
    Divide,

    /// <summary>a raised to the power b.</summary>
    Pow,

    /// <summary>The larger of a and b.</summary>
    Maximum,

    /// <summary>The smaller of a and b.</summary>
    Minimum,
}

/// <summary>Elementwise comparisons; the result is bool.</summary>
public enum CompareOp
{
    /// <summary>a == b.</summary>
    Equal,

    /// <summary>a != b.</summary>
    NotEqual,

    /// <summary>a &lt; b.</summary>
    Less,

    /// <summary>a ≤ b.</summary>
    LessEqual,

    /// <summary>a &gt; b.</summary>
    Greater,

    /// <summary>a ≥ b.</summary>
    GreaterEqual,
}

/// <summary>Reductions over a set of axes.</summary>
public enum ReduceOp
{
    /// <summary>The sum of the elements.</summary>
    Sum,

    /// <summary>The largest element.</summary>
    Max,

    /// <summary>The smallest element.</summary>
    Min,
}
