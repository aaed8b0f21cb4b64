using Descent.Optimizers;

namespace Descent.Tests.Optimizers;

/// <summary>
/// Adam runs as one fused backend primitive (IBackend.AdamStep). It must give the very bits of the formula spelled
/// out with tensor ops, which is how Adam was written before it was fused and how the class documents it.
/// </summary>
[OnEveryDevice]
public class FusedAdamTests
{
    public static TheoryData<string, DType, int> Cases()
    {
        var data = new TheoryData<string, DType, int>();
        foreach (var name in new[] { "adam", "adam_l2", "adam_amsgrad", "adamw", "adamw_amsgrad" })
            foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                // 37: a vector tail; 70,001: above the size that splits the step across threads.
                foreach (var size in new[] { 37, 70_001 })
                    data.Add(name, dtype, size);
        return data;
    }

    private static Adam Create(string name) => name switch
    {
        "adam" => new Adam(0.01),
        "adam_l2" => new Adam(0.01, weightDecay: 0.1),
        "adam_amsgrad" => new Adam(0.02, beta1: 0.8, beta2: 0.95, amsgrad: true),
        "adamw" => new AdamW(0.01, weightDecay: 0.05),
        "adamw_amsgrad" => new AdamW(0.03, epsilon: 1e-4, amsgrad: true, weightDecay: 0.2),
        _ => throw new ArgumentException(name),
    };

    // The unfused formula, one op at a time (PyTorch's torch.optim.Adam / AdamW).
    private sealed class Unfused(Adam o, Tensor zeros)
    {
        private Tensor _m = zeros, _v = zeros, _vMax = zeros;
        private long _t;

        public Tensor Step(Tensor w, Tensor g, double lr, bool decoupled)
        {
            _t++;
            if (o.WeightDecay > 0)
            {
                if (decoupled) w = w * (1 - lr * o.WeightDecay);
                else g = g + w * o.WeightDecay;
            }
            _m = _m * o.Beta1 + g * (1 - o.Beta1);
            _v = _v * o.Beta2 + g.Square() * (1 - o.Beta2);
            var v = o.Amsgrad ? _vMax = Tensor.Maximum(_vMax, _v) : _v;
            double stepSize = lr / (1 - Math.Pow(o.Beta1, _t));
            double correction2 = Math.Sqrt(1 - Math.Pow(o.Beta2, _t));
            return w - _m / (v.Sqrt() / correction2 + o.Epsilon) * stepSize;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fused_step_gives_the_bits_of_the_unfused_formula(string name, DType dtype, int size)
    {
        var optimizer = Create(name);
        var initial = Tensor.RandomNormal([size], seed: 1).Cast(dtype);
        var w = new Variable(initial, "w");
        var expected = initial;
        var unfused = new Unfused(optimizer, Tensor.ZerosLike(initial));
        for (int step = 0; step < 4; step++)
        {
            // Gradients of mixed scale and sign, one exactly zero, and on later steps a strided view.
            var g = (Tensor.RandomNormal([size], seed: 10 + step) * Math.Pow(10, step - 2)).Cast(dtype);
            if (step >= 2) g = Tensor.Stack([g, g * 2], axis: 1)[.., 1] * 0.5;
            optimizer.ApplyGradients([g], [w]);
            expected = unfused.Step(expected, g, optimizer.LearningRate, name.StartsWith("adamw"));
        }
        Assert.Equal(expected.ToArray<double>(), w.ToArray<double>());
        Assert.Equal(dtype, w.DType);
    }

    [Fact]
    public void A_gradient_on_another_device_is_refused_naming_both()
    {
        var w = new Variable(Tensor.Ones(3), "w");
        var other = TestDevices.Elsewhere(w.Device);
        var g = Tensor.Ones([3], device: other);
        var error = Assert.Throws<ArgumentException>(() => new Adam().ApplyGradients([g], [w]));
        Assert.Contains(w.Device.ToString(), error.Message);
        Assert.Contains(other.ToString(), error.Message);
    }
}
