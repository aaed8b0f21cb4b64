using Descent.Nn.Layers;
using Descent.Nn.Losses;
using Descent.Nn.Metrics;
using Descent.Nn.Models;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Models;

/// <summary>
/// A training step leaves its numbers on the device: on a GPU each read-back is a synchronising round trip.
/// Tensor.Downloads counts this thread's reads, so these tests see every one the step makes.
/// </summary>
[OnEveryDevice]
public class HostReadbackTests
{
    private static (Sequential Model, Tensor X, Tensor Y) Classifier(int rows)
    {
        var g = new Generator(3);
        var x = Tensor.RandomNormal([rows, 6], g);
        var labels = new int[rows];
        for (int i = 0; i < rows; i++) labels[i] = g.NextInt(3);
        var model = new Sequential([new Dense(8, activation: "relu"), new Dropout(0.2), new Dense(3)], seed: 1);
        model.Compile(new Adam(1e-2) { GlobalClipNorm = 1 }, new SparseCategoricalCrossentropy(fromLogits: true),
            [new SparseCategoricalAccuracy(), new Mean("mean_output")]);
        return (model, x, Tensor.FromArray(labels));
    }

    [Fact]
    public void A_train_step_reads_nothing_back_until_its_logs_are_read()
    {
        var (model, x, y) = Classifier(16);
        model.TrainStep(x, y); // builds the model and the optimizer state
        long before = Tensor.Downloads;
        var logs = model.TrainStep(x, y);
        Assert.Equal(before, Tensor.Downloads);
        Assert.True(logs["loss"] > 0);
        Assert.Equal(before + 1, Tensor.Downloads);
    }

    [Fact]
    public void A_recurrent_train_step_with_masks_and_dropout_reads_nothing_back()
    {
        var g = new Generator(4);
        // The last two steps of every other sample are padding, which Masking turns into a mask.
        var keep = Tensor.FromArray(Enumerable.Range(0, 8 * 5).Select(i => i % 10 >= 8 ? 0f : 1f).ToArray(), 8, 5, 1);
        var x = Tensor.RandomNormal([8, 5, 3], g) * keep;
        var labels = Enumerable.Range(0, 8).Select(_ => g.NextInt(3)).ToArray();
        // The mask reaches the LSTM, the Bidirectional GRU and the pooling; the masks are made and read on the device.
        var model = new Sequential([new Masking(), new LSTM(4, returnSequences: true, dropout: 0.2, recurrentDropout: 0.2),
            new Bidirectional(new GRU(3, returnSequences: true)), new GlobalAveragePooling1D(), new Dense(3)], seed: 2);
        model.Compile(new Adam(1e-2), new SparseCategoricalCrossentropy(fromLogits: true));
        model.TrainStep(x, Tensor.FromArray(labels));
        long before = Tensor.Downloads;
        model.TrainStep(x, Tensor.FromArray(labels));
        Assert.Equal(before, Tensor.Downloads);
    }

    [Fact]
    public void At_verbose_0_the_reads_per_epoch_do_not_grow_with_the_number_of_steps()
    {
        long Reads(int rows)
        {
            var (model, x, y) = Classifier(rows);
            long before = Tensor.Downloads;
            model.Fit(x, y, epochs: 2, batchSize: 4, verbose: 0);
            return Tensor.Downloads - before;
        }
        // 4 steps an epoch against 16: the same reads, all at the epochs' ends.
        Assert.Equal(Reads(16), Reads(64));
    }
}
