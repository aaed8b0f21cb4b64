using Descent.Nn.Callbacks;
using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

/// <summary>Fit's cancellation token (Ctrl-C in a console program): stop after the current batch, keep the finished epochs.</summary>
[OnEveryDevice]
public class FitCancellationTests
{
    private static Sequential Compiled()
    {
        var model = new Sequential([new TestDense(4, "tanh"), new TestDense(1)], inputShape: [3], seed: 5);
        model.Compile(new SGD(0.05), new MseLoss());
        return model;
    }

    [Fact]
    public void Cancelled_during_an_epoch_stops_after_that_batch_and_keeps_the_finished_epochs()
    {
        var (x, y) = Xor.Linear(rows: 64);
        var model = Compiled();
        using var cancel = new CancellationTokenSource();
        var epochEnds = new List<int>();
        var callback = new LambdaCallback
        {
            // 48 training rows, three batches of 16 an epoch; cancel during the third epoch (index 2), after its second batch.
            BatchEnd = (batch, _) => { if (epochEnds.Count == 2 && batch == 1) cancel.Cancel(); },
            EpochEnd = (epoch, _) => epochEnds.Add(epoch),
        };

        Assert.Throws<OperationCanceledException>(() =>
            model.Fit(x, y, epochs: 10, batchSize: 16, validationSplit: 0.25, callbacks: [callback], verbose: 0, cancellationToken: cancel.Token));

        Assert.Equal([0, 1], epochEnds); // the unfinished epoch reaches no callback
        Assert.Equal([0, 1], model.History!.Epochs);
        Assert.Equal(2, model.History["val_loss"].Count);
        Assert.Equal(3 * 2 + 2, model.Optimizer!.Iterations); // 48 training rows: 3 batches an epoch, then 2 of the third
    }

    [Fact]
    public void Cancelled_before_fit_starts_trains_nothing()
    {
        var (x, y) = Xor.Linear(rows: 32);
        var model = Compiled();
        var before = Xor.Flat(model);
        Assert.Throws<OperationCanceledException>(() => model.Fit(x, y, epochs: 3, verbose: 0, cancellationToken: new CancellationToken(canceled: true)));
        Assert.Equal(before, Xor.Flat(model));
        Assert.Empty(model.History!.Epochs);
    }

    [Fact]
    public void History_is_the_latest_fits()
    {
        var (x, y) = Xor.Linear(rows: 32);
        var model = Compiled();
        var first = model.Fit(x, y, epochs: 2, verbose: 0);
        Assert.Same(first, model.History);
        var second = model.Fit(x, y, epochs: 1, verbose: 0);
        Assert.Same(second, model.History);
        Assert.Single(second.Epochs);
    }
}
