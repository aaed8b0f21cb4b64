using Descent.Optimizers;

namespace Descent.Cli.Demos;

/// <summary>
/// The article's example 3: one input, two sigmoid hidden units that share the bias b1, one sigmoid
/// output, and E = ½(y_true − y_pred)². Descent computes the forward pass and the gradients (float64
/// variables under a tape); the chain rule is then written out by hand from the forward values and
/// checked against them.
/// </summary>
internal static class BackpropDemo
{
    public const double X = 2, YTrue = 1, LearningRate = 0.2;

    /// <summary>Hand and tape gradients agree to this; both are a few float64 roundings from exact.</summary>
    public const double Tolerance = 1e-12;

    public const int MaxSteps = 100_000;

    /// <summary>The article's starting values, in the order every output lists them.</summary>
    public static readonly IReadOnlyList<(string Name, double Value)> Initial =
        [("w11", 1), ("w12", -1), ("b1", 3), ("w21", 2), ("w22", 1), ("b2", 0)];

    public static BackpropResult Run(int steps = 1)
    {
        if (steps is < 1 or > MaxSteps)
            throw new ArgumentOutOfRangeException(nameof(steps), $"steps must be between 1 and {MaxSteps}, got {steps}.");
        var p = Initial.Select(v => new Variable(v.Value, v.Name)).ToArray();
        var optimizer = new SGD(LearningRate);
        var history = new List<BackpropStep>(steps + 1);
        BackpropForward? first = null;
        Tensor?[] firstGrads = [];
        for (int step = 0; step <= steps; step++)
        {
            using var tape = new GradientTape();
            var forward = Forward(p);
            history.Add(new BackpropStep(step, forward.Loss, forward.YPred));
            if (step == steps)
                break;
            var grads = tape.Gradient(forward.Tensors[^1], p);
            if (step == 0)
                (first, firstGrads) = (forward.Values, grads);
            optimizer.ApplyGradients(grads, p);
        }

        double[] autodiff = firstGrads.Select(g => g!.Item<double>()).ToArray();
        var paths = ChainRule(first!, Initial.ToDictionary(v => v.Name, v => v.Value));
        var chains = Initial.Select((v, i) => new BackpropChain(v.Name, v.Value, paths[v.Name], autodiff[i],
            v.Value - LearningRate * autodiff[i])).ToArray();
        var final = p.ToDictionary(v => v.Name, v => v.Item<double>());
        return new BackpropResult(first!, chains, history, final, CheckArticle(first!, chains));
    }

    private sealed record Pass(BackpropForward Values, Tensor[] Tensors)
    {
        public double Loss => Values.Loss;

        public double YPred => Values.YPred;
    }

    /// <summary>The network as the article draws it, one op at a time.</summary>
    private static Pass Forward(Variable[] p)
    {
        var (w11, w12, b1, w21, w22, b2) = (p[0], p[1], p[2], p[3], p[4], p[5]);
        var x = Tensor.Scalar(X);
        var z1 = x * w11 + b1;
        var h1 = z1.Sigmoid();
        var z2 = x * w12 + b1;
        var h2 = z2.Sigmoid();
        var yTemp = h1 * w21 + h2 * w22 + b2;
        var yPred = yTemp.Sigmoid();
        var loss = 0.5 * (Tensor.Scalar(YTrue) - yPred).Square();
        Tensor[] all = [z1, h1, z2, h2, yTemp, yPred, loss];
        double[] v = all.Select(t => t.Item<double>()).ToArray();
        return new Pass(new BackpropForward(v[0], v[1], v[2], v[3], v[4], v[5], v[6]), all);
    }

    /// <summary>Every path from E back to each parameter, each local derivative from the forward values.</summary>
    private static Dictionary<string, IReadOnlyList<BackpropPath>> ChainRule(BackpropForward f, IReadOnlyDictionary<string, double> w)
    {
        BackpropFactor[] output =
        [
            new("∂E/∂y_pred", "y_pred − y_true", f.YPred - YTrue),
            new("∂y_pred/∂y_temp", "y_pred·(1 − y_pred)", f.YPred * (1 - f.YPred)),
        ];
        BackpropFactor[] ViaH1(string last, string formula, double value) =>
        [
            .. output,
            new("∂y_temp/∂h1", "w21", w["w21"]),
            new("∂h1/∂z1", "h1·(1 − h1)", f.H1 * (1 - f.H1)),
            new($"∂z1/∂{last}", formula, value),
        ];
        BackpropFactor[] ViaH2(string last, string formula, double value) =>
        [
            .. output,
            new("∂y_temp/∂h2", "w22", w["w22"]),
            new("∂h2/∂z2", "h2·(1 − h2)", f.H2 * (1 - f.H2)),
            new($"∂z2/∂{last}", formula, value),
        ];
        BackpropPath One(BackpropFactor[] factors) => new(null, factors);
        return new()
        {
            ["w11"] = [One(ViaH1("w11", "x", X))],
            ["w12"] = [One(ViaH2("w12", "x", X))],
            ["b1"] = [new BackpropPath("h1", ViaH1("b1", "1", 1)), new BackpropPath("h2", ViaH2("b1", "1", 1))],
            ["w21"] = [One([.. output, new("∂y_temp/∂w21", "h1", f.H1)])],
            ["w22"] = [One([.. output, new("∂y_temp/∂w22", "h2", f.H2)])],
            ["b2"] = [One([.. output, new("∂y_temp/∂b2", "1", 1)])],
        };
    }

    /// <summary>Each number the article prints for this example, checked.</summary>
    private static ArticleFigure[] CheckArticle(BackpropForward f, IReadOnlyList<BackpropChain> chains)
    {
        var w21 = chains.Single(c => c.Parameter == "w21");
        return
        [
            new("z1 = x·w11 + b1", 5, f.Z1, "exact"),
            new("h1 = σ(z1)", 0.99, f.H1, "right, rounded to 2 decimals"),
            new("z2 = x·w12 + b1", 1, f.Z2, "exact"),
            new("h2 = σ(z2)", 0.73, f.H2, "right, rounded to 2 decimals"),
            new("y_temp", 2.71, f.YTemp, "imprecise: computed from the rounded h1 and h2 (2·0.99 + 0.73); rounds to 2.72"),
            new("y_pred = σ(y_temp)", 0.93, f.YPred, "imprecise: truncated; it rounds to 0.94 (even σ(2.71) = 0.9376 does)"),
            new("∂E/∂y_pred = y_pred − y_true", -0.07, f.YPred - YTrue, "wrong in its only digit: −0.06, the −0.07 comes from the truncated 0.93"),
            new("∂y_pred/∂y_temp", 0.058, f.YPred * (1 - f.YPred), "right, to 3 decimals"),
            new("∂y_temp/∂w21 = h1", 0.99, f.H1, "right, rounded to 2 decimals"),
            new("∂E/∂w21", -0.004, w21.Autodiff, "imprecise: the product of its rounded factors (−0.07·0.058·0.99 = −0.0040194); exact is −0.0036 to 2 figures, 11% smaller"),
            new("w21' (updated w21)", 1.9992, w21.Updated, "WRONG SIGN: it computes w21 + α·(−0.004); gradient descent subtracts, w21 − α·∂E/∂w21, so w21 grows (with its own −0.004: 2.0008)"),
        ];
    }
}
