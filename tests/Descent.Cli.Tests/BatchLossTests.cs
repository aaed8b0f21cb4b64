namespace Descent.Cli.Tests;

/// <summary>The batch-loss demo against Keras's formulas written out in doubles. Descent computes in
/// float32, so values agree to float32 precision.</summary>
public class BatchLossTests
{
    private static readonly string[] Demo = ["demo", "batch-loss"];

    private const double Eps = 1e-7;

    /// <summary>Keras (TF backend), from_logits=False: log(clip(p)) as logits, so −log(clip(p)_y / Σ clip(p)).</summary>
    private static double ProbsLoss(double[] p, int label)
    {
        double[] c = p.Select(v => Math.Clamp(v, Eps, 1 - Eps)).ToArray();
        return -Math.Log(c[label] / c.Sum());
    }

    /// <summary>from_logits=True: −log softmax, i.e. logsumexp(z) − z_y.</summary>
    private static double LogitsLoss(double[] z, int label) => Math.Log(z.Sum(Math.Exp)) - z[label];

    [Fact]
    public void Default_probabilities_match_keras_formula_and_its_documented_example()
    {
        var json = CliRun.Json(Demo);
        double[][] rows = [[0.05, 0.95, 0], [0.1, 0.8, 0.1], [0.25, 0.6, 0.15], [0.7, 0.2, 0.1]];
        int[] labels = [1, 2, 1, 0];
        var perSample = json.GetProperty("per_sample").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(4, perSample.Length);
        for (int i = 0; i < 4; i++)
            Assert.Equal(ProbsLoss(rows[i], labels[i]), perSample[i], 1e-6);
        // Keras's documentation of sparse_categorical_crossentropy prints [0.0513, 2.303] for the first two.
        Assert.Equal(0.0513, perSample[0], 4);
        Assert.Equal(2.303, perSample[1], 3);
        Assert.Equal(perSample.Average(), json.GetProperty("mean").GetDouble(), 1e-6);
        Assert.False(json.GetProperty("from_logits").GetBoolean());
    }

    [Fact]
    public void Logits_go_through_softmax()
    {
        var json = CliRun.Json([.. Demo, "--logits", "1,2,3;0.5,0.2,0.1", "--labels", "2,0"]);
        var perSample = json.GetProperty("per_sample").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(LogitsLoss([1, 2, 3], 2), perSample[0], 1e-6);
        Assert.Equal(LogitsLoss([0.5, 0.2, 0.1], 0), perSample[1], 1e-6);
        Assert.Equal((perSample[0] + perSample[1]) / 2, json.GetProperty("mean").GetDouble(), 1e-6);
        var first = json.GetProperty("samples")[0];
        Assert.Equal(Math.Exp(3) / (Math.Exp(1) + Math.Exp(2) + Math.Exp(3)), first.GetProperty("p_true").GetDouble(), 1e-6);
        Assert.True(json.GetProperty("from_logits").GetBoolean());
    }

    [Fact]
    public void Probabilities_are_clipped_and_renormalised_like_keras()
    {
        // A true class with probability 0 costs −log(1e-7 / sum) ≈ 16.1, not infinity.
        var json = CliRun.Json([.. Demo, "--probs", "0,1;0.2,0.2", "--labels", "0,1"]);
        var perSample = json.GetProperty("per_sample").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(ProbsLoss([0, 1], 0), perSample[0], 1e-4);
        Assert.InRange(perSample[0], 16.0, 16.2);
        Assert.Equal(Math.Log(2), perSample[1], 1e-6); // 0.2 / (0.2 + 0.2)
    }

    [Fact]
    public void From_logits_alone_runs_the_default_logits_example()
    {
        var json = CliRun.Json([.. Demo, "--from-logits"]);
        Assert.True(json.GetProperty("from_logits").GetBoolean());
        Assert.Equal(LogitsLoss([-1, 0, 4], 1), json.GetProperty("per_sample")[2].GetDouble(), 1e-5);
    }

    [Fact]
    public void Human_output_shows_each_step()
    {
        var run = CliRun.Of([.. Demo, "--logits", "1,2,3", "--labels", "2"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("softmax", run.Out);
        Assert.Contains("−log(", run.Out);
        Assert.Contains("tf.reduce_mean", run.Out);
    }

    [Theory]
    [InlineData("--logits", "1,2,3;0.5,0.2", "0,1", "row 2 has 2 values but row 1 has 3")]
    [InlineData("--logits", "1,2,x", "0", "'x' is not a finite number")]
    [InlineData("--logits", "1,2;", "0", "row 2 is empty")]
    [InlineData("--probs", "0.5,0.5", "2", "outside the 2 classes")]
    [InlineData("--probs", "0.5,0.5", "-1", "outside the 2 classes")]
    [InlineData("--probs", "0.5,0.5", "0,1", "2 labels for 1 rows")]
    [InlineData("--probs", "0.5,0.5", "a", "not a whole number")]
    [InlineData("--probs", "1.5,-0.5", "0", "not a probability")]
    public void Bad_input_exits_two_with_one_clear_line(string option, string matrix, string labels, string message)
    {
        var run = CliRun.Of([.. Demo, option, matrix, "--labels", labels]);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Out);
        string line = Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("descent: ", line);
        Assert.Contains(message, line);
    }

    [Fact]
    public void Conflicting_options_exit_two()
    {
        Assert.Equal(2, CliRun.Of([.. Demo, "--probs", "1", "--logits", "1", "--labels", "0"]).ExitCode);
        Assert.Equal(2, CliRun.Of([.. Demo, "--probs", "1", "--from-logits", "--labels", "0"]).ExitCode);
        Assert.Equal(2, CliRun.Of([.. Demo, "--logits", "1,2"]).ExitCode);
    }
}
