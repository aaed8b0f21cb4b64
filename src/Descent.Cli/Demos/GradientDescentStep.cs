namespace Descent.Cli.Demos;

/// <summary>One point of the descent: x_i, y_i = f(x_i) and the slope f'(x_i) that moves it to x_(i+1).</summary>
internal readonly record struct GradientDescentStep(int Iteration, double X, double Y, double Grad);
