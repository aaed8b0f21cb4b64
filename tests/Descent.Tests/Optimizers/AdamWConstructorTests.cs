using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

[OnEveryDevice]
public class AdamWConstructorTests
{
    [Fact]
    public void AdamW_takes_Adams_parameters_in_Adams_order()
    {
        static string[] Names(Type t) => t.GetConstructors().Single().GetParameters().Select(p => p.Name!).ToArray();

        Assert.Equal(Names(typeof(Adam)), Names(typeof(AdamW)));
    }

    [Fact]
    public void Positional_arguments_mean_the_same_to_Adam_and_AdamW()
    {
        // With no weight decay AdamW is Adam, so the same positional call must give the same trajectory.
        var adam = new Adam(0.2, 0.8, 0.95, 1e-3, true, 0);
        var adamW = new AdamW(0.2, 0.8, 0.95, 1e-3, true, 0);
        Assert.Equal((adam.Beta1, adam.Beta2, adam.Epsilon, adam.Amsgrad), (adamW.Beta1, adamW.Beta2, adamW.Epsilon, adamW.Amsgrad));
        var a = new Variable(Tensor.FromArray(new[] { 1.0, -2.0 }));
        var b = new Variable(Tensor.FromArray(new[] { 1.0, -2.0 }));
        for (int step = 0; step < 3; step++)
        {
            adam.ApplyGradients([a * 2.0 - 1.0], [a]);
            adamW.ApplyGradients([b * 2.0 - 1.0], [b]);
        }
        Assert.Equal(a.ToArray<double>(), b.ToArray<double>());
        Assert.Equal(0.01, new AdamW().WeightDecay);
        Assert.Equal(0.3, new AdamW(0.1, weightDecay: 0.3).WeightDecay);
    }
}
