namespace Descent.Nn.Serialization;

/// <summary>What <see cref="SafeTensors.Load"/> read: the tensors (in file order) and the free-form string metadata.</summary>
public sealed record SafeTensorsContent(IReadOnlyDictionary<string, Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata);
