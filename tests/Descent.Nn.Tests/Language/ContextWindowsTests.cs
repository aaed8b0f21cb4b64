using Descent.Nn.Language;

namespace Descent.Nn.Tests.Language;

public class ContextWindowsTests
{
    private static readonly int[] Tokens = Enumerable.Range(0, 100).ToArray();

    [Fact]
    public void Split_cuts_by_position_ninety_ten()
    {
        var (train, validation) = new ContextWindows(Tokens, 4).Split();
        Assert.Equal(90, train.Length);
        Assert.Equal(10, validation.Length);
        Assert.Equal(86, train.Starts);
        // Every validation window comes from the last tenth: tokens 90 to 99.
        var (x, y) = validation.Sample(50, new Generator(1));
        Assert.All(x.ToArray<int>(), t => Assert.InRange(t, 90, 98));
        Assert.All(y.ToArray<int>(), t => Assert.InRange(t, 91, 99));
    }

    [Fact]
    public void A_batch_is_random_windows_and_the_targets_are_the_next_tokens()
    {
        var windows = new ContextWindows(Tokens, 5);
        var (x, y) = windows.Sample(8, new Generator(2));
        Assert.Equal([8, 5], x.Shape);
        Assert.Equal(DType.Int32, x.DType);
        var xs = x.ToArray<int>();
        var ys = y.ToArray<int>();
        var starts = new HashSet<int>();
        for (int b = 0; b < 8; b++)
        {
            int start = xs[b * 5];
            starts.Add(start);
            Assert.InRange(start, 0, 94);
            for (int t = 0; t < 5; t++)
            {
                Assert.Equal(start + t, xs[b * 5 + t]);       // a window of consecutive tokens
                Assert.Equal(start + t + 1, ys[b * 5 + t]);   // each one's next token
            }
        }
        Assert.True(starts.Count > 4);
        Assert.Equal(xs, windows.Sample(8, new Generator(2)).X.ToArray<int>());
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_reason()
    {
        Assert.Contains("need at least 6", Assert.Throws<ArgumentException>(() => new ContextWindows([1, 2, 3, 4, 5], 5)).Message);
        Assert.Contains("the context must be positive", Assert.Throws<ArgumentException>(() => new ContextWindows(Tokens, 0)).Message);
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentException>(() => new ContextWindows(Tokens, 4).Split(1)).Message);
        Assert.Contains("too few", Assert.Throws<ArgumentException>(() => new ContextWindows(Tokens, 20).Split(0.9)).Message);
        Assert.Contains("batch size must be positive", Assert.Throws<ArgumentException>(() => new ContextWindows(Tokens, 4).Sample(0, new Generator(1))).Message);
    }
}
