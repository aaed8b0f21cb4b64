using CsCheck;

namespace Descent.Tests.Agreement;

/// <summary>Property: Conv2D (strides, dilations, padding, fused bias and activation) and MaxPool2D give, on any device, a result on that device with the CPU's values and gradients.</summary>
[OnEveryDevice]
public class WindowAgreementTests
{
    private readonly DeviceAgreement _agree = new(Device.Default);

    private static string Pair((int, int) p) => $"({p.Item1},{p.Item2})";

    [Fact]
    public void Conv2d_over_random_geometries_matches_the_cpu() =>
        (from dtype in Draw.Float
         from n in Gen.Int[1, 2]
         from hw in Gen.Int[1, 6].Array[2]
         from channels in Gen.Int[1, 3]
         from filters in Gen.Int[1, 3]
         from kernel in Gen.Int[1, 3].Array[2]
         from strides in Gen.Int[1, 2].Array[2]
         from dilations in Gen.Int[1, 2].Array[2]
         from same in Gen.Bool
         from activation in Gen.OneOfConst(Enum.GetValues<FusedActivation>())
         from withBias in Gen.Bool
         // A valid window must fit in the input.
         where same || (hw[0] >= (kernel[0] - 1) * dilations[0] + 1 && hw[1] >= (kernel[1] - 1) * dilations[1] + 1)
         from x in Draw.Whole([n, hw[0], hw[1], channels], dtype, -3, 3)
         from k in Draw.Whole([kernel[0], kernel[1], channels, filters], dtype, -3, 3)
         from b in Draw.Whole([filters], dtype, -3, 3)
         select (X: x, K: k, B: b, Strides: (strides[0], strides[1]), Dilations: (dilations[0], dilations[1]), Padding: same ? "same" : "valid",
             Activation: activation, WithBias: withBias))
        // Sums of products of small whole numbers are exact, so linear and relu outputs must agree to the bit.
        .ForAll(c => _agree.Check("conv2d", t => Tensor.Conv2D(t[0], t[1], c.Strides, c.Padding, c.Dilations, c.WithBias ? t[2] : null, c.Activation),
                [c.X, c.K, c.B], c.Activation is FusedActivation.Linear or FusedActivation.Relu ? 0 : DeviceAgreement.Accumulated(c.X.DType), gradients: true),
            c => $"conv2d {c.X} with {c.K}, strides {Pair(c.Strides)}, dilations {Pair(c.Dilations)}, {c.Padding}, {(c.WithBias ? "bias " + c.B : "no bias")}, {c.Activation}");

    [Fact]
    public void Max_pool_2d_with_ties_matches_the_cpu_and_its_gradient_goes_to_the_same_maximum() =>
        (from dtype in Draw.Float
         from n in Gen.Int[1, 2]
         from hw in Gen.Int[1, 6].Array[2]
         from channels in Gen.Int[1, 3]
         from pool in Gen.Int[1, 3].Array[2]
         from strides in Gen.Int[1, 3].Array[2]
         from same in Gen.Bool
         where same || (hw[0] >= pool[0] && hw[1] >= pool[1])
         from x in Draw.Whole([n, hw[0], hw[1], channels], dtype, -2, 2)
         select (X: x, Pool: (pool[0], pool[1]), Strides: (strides[0], strides[1]), Padding: same ? "same" : "valid"))
        .ForAll(c => _agree.Check("max pool 2d", t => Tensor.MaxPool2D(t[0], c.Pool, c.Strides, c.Padding), [c.X], 0, gradients: true),
            c => $"max pool {Pair(c.Pool)} strides {Pair(c.Strides)} {c.Padding} of {c.X}");
}
