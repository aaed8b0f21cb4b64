using Descent.Cli.Bench;

namespace Descent.Cli.Tests;

// Steps run on the kernels' threads, which the bench and training tests configure, so they run apart from those.
[Collection(TrainingCollection.Name)]
public class FitStepTests
{
    [Fact]
    public void Fit_step_trains_the_model_on_its_batch()
    {
        var step = new FitStep();
        double first = step.Step();
        double running = first;
        for (int i = 0; i < 20; i++) running = step.Step();
        // The reported loss is the running mean since the first step, so it falls only if the steps learn.
        Assert.True(running < 0.8 * first, $"running loss {running} after 21 steps, first {first}");
    }
}
