using Descent.Nn.Data;
using Descent.Nn.Models;
using Descent.Nn.Tests.Helpers;
using Descent.Optimizers;

namespace Descent.Nn.Tests.Data;

[OnEveryDevice]
public class DatasetTests
{
    private static Dataset Rows(int n) => Dataset.FromTensorSlices(
        Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), n, 1),
        Tensor.FromArray(Enumerable.Range(0, n).ToArray()));

    private static int[] Labels(IEnumerable<(Tensor X, Tensor Y)> data) => data.SelectMany(e => e.Y.ToArray<int>()).ToArray();

    [Fact]
    public void Unbatched_elements_are_rows_and_batches_stack_them()
    {
        var data = Rows(5);
        var first = data.First();
        Assert.Equal([1], first.X.Shape);
        Assert.Equal(0, first.Y.Rank);

        var batches = data.Batch(2).ToList();
        Assert.Equal([2, 2, 1], batches.Select(b => b.X.Shape[0]));
        Assert.Equal([2, 1], batches[0].X.Shape);
        Assert.Equal([0, 1, 2, 3, 4], Labels(batches));
        Assert.Equal(3, data.Batch(2).Cardinality);
        Assert.Equal(2, data.Batch(2, dropRemainder: true).Count());
        Assert.Equal(2, data.Batch(2, dropRemainder: true).Cardinality);
    }

    [Fact]
    public void Shuffle_is_a_permutation_fixed_by_the_seed_and_new_on_each_pass()
    {
        var a = Rows(20).Shuffle(seed: 3);
        var b = Rows(20).Shuffle(seed: 3);
        int[] first = Labels(a), second = Labels(a);
        Assert.Equal(first, Labels(b));
        Assert.Equal(second, Labels(b));
        Assert.NotEqual(first, second);
        Assert.NotEqual(Enumerable.Range(0, 20), first);
        Assert.Equal(Enumerable.Range(0, 20), first.Order());
        Assert.NotEqual(first, Labels(Rows(20).Shuffle(seed: 4)));
    }

    [Fact]
    public void Take_skip_and_repeat()
    {
        Assert.Equal([2, 3, 4], Labels(Rows(10).Skip(2).Take(3)));
        Assert.Equal([0, 1, 2, 0, 1, 2], Labels(Rows(3).Repeat(2)));
        Assert.Equal(6, Rows(3).Repeat(2).Cardinality);
        var forever = Rows(3).Repeat();
        Assert.Equal(Dataset.Infinite, forever.Cardinality);
        Assert.Equal([0, 1, 2, 0, 1, 2, 0], Labels(forever.Take(7)));
        Assert.Equal(7, forever.Take(7).Cardinality);
        Assert.Equal([2, 2, 2], forever.Batch(2).Take(3).Select(b => b.X.Shape[0]));
        Assert.Throws<InvalidOperationException>(() => forever.Shuffle(1));
    }

    [Fact]
    public void Map_transforms_elements_before_or_after_batching()
    {
        var doubled = Rows(4).Map((x, y) => (x * 2f, y)).Batch(4).Single();
        Assert.Equal([0f, 2, 4, 6], doubled.X.ToArray<float>());
        var batched = Rows(4).Batch(2).Map((x, y) => (x + 1f, y)).ToList();
        Assert.Equal([1f, 2, 3, 4], batched.SelectMany(b => b.X.ToArray<float>()));
    }

    [Fact]
    public void From_tabular_data_gives_float_features_and_int_labels()
    {
        var iris = Datasets.Iris();
        var data = Dataset.FromTabular(iris).Batch(200);
        var (x, y) = data.Single();
        Assert.Equal([150, 4], x.Shape);
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal([150], y.Shape);
        Assert.Equal(DType.Int32, y.DType);
        Assert.Equal(iris.Labels, y.ToArray<int>());
        Assert.Equal(1797, Datasets.Digits().Rows);
    }

    [Fact]
    public void Regression_targets_become_a_column()
    {
        var table = new TabularData([1f, 2, 3, 4], ["a", "b"], new float[] { 0.5f, 1.5f }, "t");
        var (_, y) = Dataset.FromTabular(table).Batch(2).Single();
        Assert.Equal([2, 1], y.Shape);
    }

    [Fact]
    public void TrainTestSplit_is_seeded_and_stratified()
    {
        var iris = Dataset.FromTabular(Datasets.Iris());
        var (train, test) = iris.TrainTestSplit(0.2, seed: 5, stratify: true);
        Assert.Equal(120, train.Cardinality);
        Assert.Equal(30, test.Cardinality);
        Assert.All(Labels(test).GroupBy(l => l), g => Assert.Equal(10, g.Count()));
        var (_, again) = iris.TrainTestSplit(0.2, seed: 5, stratify: true);
        Assert.Equal(Labels(test), Labels(again));
        Assert.Throws<InvalidOperationException>(() => iris.Batch(10).TrainTestSplit(0.2, 1));
    }

    [Fact]
    public void From_arrays_keeps_shapes_and_dtypes()
    {
        var (x, y) = Dataset.FromArrays(new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } }, new long[] { 7, 8, 9 }).Batch(3).Single();
        Assert.Equal([3, 2], x.Shape);
        Assert.Equal(DType.Float64, x.DType);
        Assert.Equal([7L, 8, 9], y.ToArray<long>());
        var (_, targets) = Dataset.FromArrays(new float[,] { { 1 }, { 2 } }, new float[,] { { 0.5f, 1 }, { 2, 3 } }).Batch(2).Single();
        Assert.Equal([2, 2], targets.Shape);
    }

    [Fact]
    public void Mismatched_lengths_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(Tensor.Zeros([3, 2]), Tensor.Zeros([4])));
    }

    [Fact]
    public void Fit_on_a_dataset_trains_and_validates()
    {
        var (x, y) = Xor.Linear();
        var data = Dataset.FromTensorSlices(x, y);
        var (train, validation) = data.TrainTestSplit(0.25, seed: 1);
        var model = new Sequential([new TestDense(1)], seed: 2);
        model.Compile(new SGD(0.1), new MseLoss());

        var history = model.Fit(train.Shuffle(1).Batch(8), epochs: 20, validationData: validation.Batch(8), verbose: 0);

        Assert.True(history["val_loss"][^1] < history["val_loss"][0] / 10);
        Assert.Throws<ArgumentException>(() => model.Fit(train, verbose: 0)); // not batched
    }

    [Fact]
    public void Fit_on_an_infinite_dataset_needs_steps_per_epoch()
    {
        var (x, y) = Xor.Linear(rows: 10);
        var model = new Sequential([new TestDense(1)], seed: 2);
        model.Compile(new SGD(0.1), new MseLoss());
        var forever = Dataset.FromTensorSlices(x, y).Batch(4).Repeat();
        Assert.Throws<ArgumentException>(() => model.Fit(forever, verbose: 0));

        int batches = 0;
        var count = new Descent.Nn.Callbacks.LambdaCallback { BatchEnd = (_, _) => batches++ };
        var history = model.Fit(forever, epochs: 3, stepsPerEpoch: 5, callbacks: [count], verbose: 0);
        Assert.Equal(15, batches);
        Assert.Equal(3, history["loss"].Count);
    }
}
