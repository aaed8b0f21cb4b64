namespace Descent.Nn.Training;

/// <summary>A running mean weighted by batch size, as Keras's loss tracker.</summary>
internal sealed class MeanTracker
{
    private double _sum;
    private long _count;

    public void Update(double value, int weight)
    {
        _sum += value * weight;
        _count += weight;
    }

    public double Result() => _count == 0 ? 0 : _sum / _count;

    public void Reset() => (_sum, _count) = (0, 0);
}
