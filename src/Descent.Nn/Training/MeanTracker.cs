namespace Descent.Nn.Training;

/// <summary>A running mean weighted by batch size, as Keras's loss tracker. The sum stays on the device until read.</summary>
internal sealed class MeanTracker
{
    private Tensor? _sum;
    private long _count;

    public void Update(Tensor value, int weight)
    {
        var weighted = value.Cast(DType.Float64) * (double)weight;
        _sum = _sum is null ? weighted : _sum + weighted;
        _count += weight;
    }

    public double Result() => _count == 0 || _sum is null ? 0 : _sum.Item<double>() / _count;

    public void Reset() => (_sum, _count) = (null, 0);
}
