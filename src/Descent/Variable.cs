namespace Descent;

/// <summary>
/// A mutable tensor that holds model state, as TensorFlow's tf.Variable: it has a name and a trainable
/// flag, tapes watch it automatically when an op reads it, and <see cref="Assign"/> and friends update it
/// in place. It can be used anywhere a tensor is.
/// </summary>
public sealed class Variable : Tensor
{
    private static int _unnamed;

    /// <summary>Creates a variable holding a copy of <paramref name="initialValue"/>.</summary>
    public Variable(Tensor initialValue, string? name = null, bool trainable = true)
        : base(CopyOf(initialValue).Storage, Layout.Contiguous((int[])initialValue.Dims.Clone()))
    {
        Name = name ?? $"Variable:{Interlocked.Increment(ref _unnamed)}";
        Trainable = trainable;
    }

    /// <summary>A float32 scalar variable.</summary>
    public Variable(float initialValue, string? name = null, bool trainable = true) : this(Scalar(initialValue), name, trainable) { }

    /// <summary>A float64 scalar variable.</summary>
    public Variable(double initialValue, string? name = null, bool trainable = true) : this(Scalar(initialValue), name, trainable) { }

    /// <summary>The name given at creation (or a generated one).</summary>
    public string Name { get; }

    /// <summary>Whether optimizers and tapes treat this as a parameter to train.</summary>
    public bool Trainable { get; }

    private static Tensor CopyOf(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var copy = Empty(value.Dims, value.DType, value.Backend);
        value.Backend.Copy(value.Storage, value.Layout, copy.Storage, copy.Layout);
        return copy;
    }

    /// <summary>Overwrites the value in place. The new value must have the same shape; its dtype is converted.</summary>
    public Variable Assign(Tensor value)
    {
        var v = Checked("Assign", value);
        Backend.Copy(v.Storage, v.Layout, Storage, Layout);
        return this;
    }

    /// <summary>Adds <paramref name="delta"/> in place.</summary>
    public Variable AssignAdd(Tensor delta) => Update("AssignAdd", delta, Backends.BinaryOp.Add);

    /// <summary>Adds <paramref name="alpha"/> · <paramref name="delta"/> in place, with no temporary (an optimizer's step).</summary>
    public Variable AssignAdd(Tensor delta, double alpha)
    {
        var d = Checked("AssignAdd", delta);
        Backend.ScaledAdd(Storage, Layout, d.Storage, d.Layout, alpha);
        return this;
    }

    /// <summary>Subtracts <paramref name="delta"/> in place.</summary>
    public Variable AssignSub(Tensor delta) => Update("AssignSub", delta, Backends.BinaryOp.Subtract);

    private Variable Update(string op, Tensor delta, Backends.BinaryOp binary)
    {
        var d = Checked(op, delta);
        // Writing into our own storage is safe: each element is read once, then written (aliases were copied).
        Backend.Binary(binary, Storage, Layout, d.Storage, d.Layout, Storage);
        return this;
    }

    /// <summary>Moves the value to <paramref name="device"/> in place (tapes and optimizers keep referring to this variable).</summary>
    public Variable MoveTo(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device != Device) Storage = Transfer(device).Storage;
        return this;
    }

    private Tensor Checked(string op, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckSameDevice(op, value);
        if (!ShapeUtil.SameShape(value.Dims, Dims))
            throw new ArgumentException($"{op}: variable '{Name}' has shape {ShapeUtil.Format(Dims)}, the value has shape {ShapeUtil.Format(value.Dims)}.");
        var v = value.DType == DType ? value : value.CastRaw(DType);
        // A view of this very variable (v.AssignAdd(v.Transpose())) would read elements already overwritten.
        return ReferenceEquals(v.Storage, Storage) ? CopyOf(v) : v;
    }

    /// <summary>The variable's name and its value as a tensor prints it, in angle brackets.</summary>
    public override string ToString() => $"<Variable '{Name}' {base.ToString()}>";
}
