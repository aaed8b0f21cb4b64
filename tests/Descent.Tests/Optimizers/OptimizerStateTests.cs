using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

/// <summary>GetState and SetState: an optimizer's state moved to a fresh optimizer continues the same steps.</summary>
[OnEveryDevice]
public class OptimizerStateTests
{
    public static TheoryData<string> Rules => new() { "sgd", "nesterov", "adam", "amsgrad", "adamw", "rmsprop", "rmsprop_centered_momentum", "adagrad" };

    private static Optimizer Create(string rule) => rule switch
    {
        "sgd" => new SGD(0.1, momentum: 0.9),
        "nesterov" => new SGD(0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01),
        "adam" => new Adam(0.05),
        "amsgrad" => new Adam(0.05, amsgrad: true),
        "adamw" => new AdamW(0.05),
        "rmsprop" => new RMSprop(0.05),
        "rmsprop_centered_momentum" => new RMSprop(0.05, momentum: 0.5, centered: true),
        "adagrad" => new Adagrad(0.1, initialAccumulatorValue: 0.1),
        _ => throw new ArgumentException(rule),
    };

    // A fixed sequence of gradients, different at every step, for two variables of different shapes.
    private static Tensor[] Gradients(int step) =>
    [
        Tensor.FromArray(new[] { Math.Sin(step), Math.Cos(step) * 2, 0.5 - step * 0.1 }),
        Tensor.FromArray(new[] { 1.0 / (step + 1), -0.3 * step, 0.7, Math.Sin(step * 3) }, 2, 2),
    ];

    private static Variable[] Variables() =>
    [
        new Variable(Tensor.FromArray(new[] { 1.0, -2.0, 0.5 }), "dense/kernel"),
        new Variable(Tensor.FromArray(new[] { 0.1, 0.2, 0.3, 0.4 }, 2, 2), "dense/bias"),
    ];

    private static void Steps(Optimizer optimizer, Variable[] variables, int from, int to)
    {
        for (int step = from; step < to; step++) optimizer.ApplyGradients(Gradients(step), variables);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void State_moved_to_a_fresh_optimizer_continues_the_same_steps(string rule)
    {
        var straight = Variables();
        Steps(Create(rule), straight, 0, 6);

        var first = Variables();
        var before = Create(rule);
        Steps(before, first, 0, 3);
        var second = Variables();
        for (int i = 0; i < second.Length; i++) second[i].Assign(first[i]);
        var after = Create(rule);
        after.SetState(before.GetState(first), second);
        Assert.Equal(3, after.Iterations);
        Steps(after, second, 3, 6);

        for (int i = 0; i < straight.Length; i++)
            Assert.Equal(straight[i].ToArray<double>(), second[i].ToArray<double>());
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_fresh_optimizer_without_the_state_takes_other_steps(string rule)
    {
        // What the test above would see if SetState did nothing: the check can fail.
        var straight = Variables();
        Steps(Create(rule), straight, 0, 6);
        var first = Variables();
        Steps(Create(rule), first, 0, 3);
        Steps(Create(rule), first, 3, 6);
        Assert.NotEqual(straight[0].ToArray<double>(), first[0].ToArray<double>());
    }

    [Fact]
    public void State_names_each_slot_by_variable_and_counts_iterations()
    {
        var variables = Variables();
        var adam = new Adam();
        Steps(adam, variables, 0, 2);
        var state = adam.GetState(variables);
        Assert.Equal(["iterations", "dense/kernel/step", "dense/kernel/m", "dense/kernel/v", "dense/bias/step", "dense/bias/m", "dense/bias/v"], state.Keys);
        Assert.Equal(2L, state["iterations"].Item<long>());
        Assert.Equal(2L, state["dense/kernel/step"].Item<long>());
        Assert.Equal([3], state["dense/kernel/m"].Shape);
        Assert.Equal(["iterations"], new SGD(0.1).GetState(variables).Keys); // plain SGD keeps nothing per variable
    }

    [Fact]
    public void State_restored_before_any_step_is_what_GetState_returns()
    {
        var variables = Variables();
        var adam = new Adam();
        Steps(adam, variables, 0, 2);
        var copy = new Adam();
        copy.SetState(adam.GetState(variables), variables);
        var again = copy.GetState(variables);
        Assert.Equal(adam.GetState(variables).Keys, again.Keys);
        Assert.Equal(adam.GetState(variables)["dense/bias/v"].ToArray<double>(), again["dense/bias/v"].ToArray<double>());
    }

    [Fact]
    public void Bad_state_is_refused_with_the_tensor_named()
    {
        var variables = Variables();
        var adam = new Adam();
        Steps(adam, variables, 0, 1);
        var state = new Dictionary<string, Tensor>(adam.GetState(variables));

        var noIterations = new Dictionary<string, Tensor>(state);
        noIterations.Remove("iterations");
        Assert.Contains("'iterations'", Assert.Throws<ArgumentException>(() => new Adam().SetState(noIterations, variables)).Message);

        var wrongShape = new Dictionary<string, Tensor>(state) { ["dense/kernel/m"] = Tensor.Zeros([4], DType.Float64) };
        Assert.Contains("'dense/kernel/m'", Assert.Throws<ArgumentException>(() => new Adam().SetState(wrongShape, variables)).Message);

        var stranger = new Dictionary<string, Tensor>(state) { ["conv/kernel/m"] = Tensor.Zeros([3], DType.Float64) };
        Assert.Contains("'conv/kernel/m'", Assert.Throws<ArgumentException>(() => new Adam().SetState(stranger, variables)).Message);

        // Adam's state given to RMSprop: the slot names are not RMSprop's; the variable has stepped, so it is loaded at once.
        var rmsprop = new RMSprop();
        Steps(rmsprop, variables, 0, 1);
        Assert.Contains("slot 'step'", Assert.Throws<ArgumentException>(() => rmsprop.SetState(state, variables)).Message);
    }
}
