namespace Descent.Backends;

/// <summary>Elementwise functions of one argument, the closed set every backend implements.</summary>
public enum UnaryOp
{
    Negate, Abs, Sign, Square, Sqrt, Rsqrt, Reciprocal, Exp, Log, Log1p,
    Sin, Cos, Tanh, Sigmoid, Relu, Erf, Floor, Round,
}

/// <summary>Elementwise functions of two broadcast arguments.</summary>
public enum BinaryOp { Add, Subtract, Multiply, Divide, Pow, Maximum, Minimum }

/// <summary>Elementwise comparisons; the result is bool.</summary>
public enum CompareOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual }

/// <summary>Reductions over a set of axes.</summary>
public enum ReduceOp { Sum, Max, Min }
