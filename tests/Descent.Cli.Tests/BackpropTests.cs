using System.Text.Json;
using Descent.Cli.Demos;

namespace Descent.Cli.Tests;

/// <summary>The backprop demo against the closed forms of Fixtures/backprop_derivation.md, written
/// out here in plain doubles, independent of Descent's tape.</summary>
public class BackpropTests
{
    private static readonly string[] Demo = ["demo", "backprop"];

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private sealed record Expected(double H1, double H2, double YTemp, double YPred, double Loss,
        Dictionary<string, double> Gradients, Dictionary<string, double> Updated);

    private static Expected Derive()
    {
        double x = 2, w11 = 1, w12 = -1, b1 = 3, w21 = 2, w22 = 1, b2 = 0, yTrue = 1, alpha = 0.2;
        double h1 = Sigmoid(x * w11 + b1), h2 = Sigmoid(x * w12 + b1);
        double yTemp = h1 * w21 + h2 * w22 + b2, yPred = Sigmoid(yTemp);
        double delta = (yPred - yTrue) * yPred * (1 - yPred);
        var g = new Dictionary<string, double>
        {
            ["w11"] = delta * w21 * h1 * (1 - h1) * x,
            ["w12"] = delta * w22 * h2 * (1 - h2) * x,
            ["b1"] = delta * w21 * h1 * (1 - h1) + delta * w22 * h2 * (1 - h2),
            ["w21"] = delta * h1,
            ["w22"] = delta * h2,
            ["b2"] = delta,
        };
        var start = new Dictionary<string, double> { ["w11"] = w11, ["w12"] = w12, ["b1"] = b1, ["w21"] = w21, ["w22"] = w22, ["b2"] = b2 };
        return new Expected(h1, h2, yTemp, yPred, 0.5 * (yTrue - yPred) * (yTrue - yPred), g,
            g.ToDictionary(kv => kv.Key, kv => start[kv.Key] - alpha * kv.Value));
    }

    [Fact]
    public void Json_forward_gradients_and_updates_match_the_closed_form()
    {
        var e = Derive();
        var json = CliRun.Json(Demo);
        var forward = json.GetProperty("forward");
        Assert.Equal(e.H1, forward.GetProperty("h1").GetDouble(), 1e-12);
        Assert.Equal(e.H2, forward.GetProperty("h2").GetDouble(), 1e-12);
        Assert.Equal(e.YTemp, forward.GetProperty("y_temp").GetDouble(), 1e-12);
        Assert.Equal(e.YPred, forward.GetProperty("y_pred").GetDouble(), 1e-12);
        Assert.Equal(e.Loss, forward.GetProperty("loss").GetDouble(), 1e-12);
        foreach (string p in e.Gradients.Keys)
        {
            Assert.Equal(e.Gradients[p], json.GetProperty("gradients").GetProperty(p).GetDouble(), 1e-12);
            Assert.Equal(e.Gradients[p], json.GetProperty("chain_rule").GetProperty(p).GetDouble(), 1e-12);
            Assert.Equal(e.Updated[p], json.GetProperty("updated").GetProperty(p).GetDouble(), 1e-12);
        }
        Assert.Equal(6, json.GetProperty("gradients").EnumerateObject().Count());
    }

    [Fact]
    public void The_article_w21_update_has_the_wrong_sign()
    {
        var json = CliRun.Json(Demo);
        double grad = json.GetProperty("gradients").GetProperty("w21").GetDouble();
        Assert.Equal(-0.0035746767400618, grad, 1e-15);
        Assert.Equal(2.0007149353480123, json.GetProperty("updated").GetProperty("w21").GetDouble(), 1e-15);
        var figure = json.GetProperty("article").EnumerateArray().Single(a => a.GetProperty("quantity").GetString()!.StartsWith("w21'"));
        Assert.Equal(1.9992, figure.GetProperty("article").GetDouble());
        Assert.StartsWith("WRONG SIGN", figure.GetProperty("verdict").GetString());
    }

    [Fact]
    public void B1_gradient_is_the_sum_of_two_paths()
    {
        var r = BackpropDemo.Run();
        var b1 = r.Chains.Single(c => c.Parameter == "b1");
        Assert.Equal(["h1", "h2"], b1.Paths.Select(p => p.Via));
        Assert.All(r.Chains, c => Assert.True(c.Agrees, $"{c.Parameter}: {c.ChainRule:R} vs {c.Autodiff:R}"));
        Assert.All(r.Chains.Where(c => c.Parameter != "b1"), c => Assert.Single(c.Paths));
    }

    [Fact]
    public void Steps_make_the_loss_fall_every_step()
    {
        var json = CliRun.Json([.. Demo, "--steps", "50"]);
        var losses = json.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("loss").GetDouble()).ToArray();
        Assert.Equal(51, losses.Length);
        for (int i = 1; i < losses.Length; i++)
            Assert.True(losses[i] < losses[i - 1], $"step {i}: {losses[i]} not below {losses[i - 1]}");
        // One step from the article's start is the "updated" set; after 50 the parameters moved on.
        Assert.Equal(json.GetProperty("updated").GetProperty("w21").GetDouble(), Derive().Updated["w21"], 1e-12);
        Assert.True(json.GetProperty("final").GetProperty("w21").GetDouble() > json.GetProperty("updated").GetProperty("w21").GetDouble());
    }

    [Fact]
    public void Walkthrough_shows_every_chain_and_the_article_check()
    {
        var run = CliRun.Of(Demo);
        Assert.Equal(0, run.ExitCode);
        foreach (string p in new[] { "w11", "w12", "b1", "w21", "w22", "b2" })
            Assert.Contains($"update: {p}' = {p} − α·∂E/∂{p}", run.Out);
        Assert.Contains("∂E/∂w21 = ∂E/∂y_pred · ∂y_pred/∂y_temp · ∂y_temp/∂w21", run.Out);
        Assert.Contains("via h1:", run.Out);
        Assert.Contains("via h2:", run.Out);
        Assert.Contains("y_temp = h1·w21 + h2·w22 + b2                       = 2.7176728767814353", run.Out);
        Assert.DoesNotContain("DISAGREES", run.Out);
        Assert.Contains("WRONG SIGN", run.Out);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public void Bad_steps_exit_two(string steps)
    {
        var run = CliRun.Of([.. Demo, "--steps", steps]);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("descent: steps must be between 1 and", run.Err);
    }
}
