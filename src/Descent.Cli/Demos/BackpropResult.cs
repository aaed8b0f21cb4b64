namespace Descent.Cli.Demos;

/// <summary>The outcome of <see cref="BackpropDemo.Run"/>.</summary>
/// <param name="Chains">One per parameter, in the order w11, w12, b1, w21, w22, b2.</param>
/// <param name="History">Steps + 1 entries: the loss before each step, then after the last.</param>
/// <param name="Final">Parameters after all the steps.</param>
internal sealed record BackpropResult(
    BackpropForward Forward,
    IReadOnlyList<BackpropChain> Chains,
    IReadOnlyList<BackpropStep> History,
    IReadOnlyDictionary<string, double> Final,
    IReadOnlyList<ArticleFigure> Article);
