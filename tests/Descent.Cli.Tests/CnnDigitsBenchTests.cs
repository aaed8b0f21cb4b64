using Descent.Cli.Bench;

namespace Descent.Cli.Tests;

[Collection(TrainingCollection.Name)]
public class CnnDigitsBenchTests
{
    [Fact]
    public void The_cnn_case_is_registered_and_its_loop_learns()
    {
        Assert.Contains(CnnDigits.Name, BenchSuite.Names);
        // Two epochs of the train command's cnn take the validation loss well below chance (ln 10 ≈ 2.3).
        double loss = new CnnDigits().Fit(epochs: 2);
        Assert.InRange(loss, 0, 1.0);
    }
}
