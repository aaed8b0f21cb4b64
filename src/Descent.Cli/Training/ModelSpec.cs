using System.Globalization;
using Descent.Nn.Layers;
using Descent.Nn.Models;

namespace Descent.Cli.Training;

/// <summary>
/// The <c>--model</c> option: <c>mlp[:UNITS,...]</c> (dense ReLU layers, each followed by dropout) or <c>cnn[:FILTERS1,FILTERS2]</c> (two 3×3
/// convolutions on square single-channel images), always ending in one linear unit per class (logits).
/// </summary>
internal sealed record ModelSpec(string Kind, IReadOnlyList<int> Sizes)
{
    public const string DefaultText = "mlp:256,128";

    private static readonly int[] DefaultMlp = [256, 128];
    private static readonly int[] DefaultCnn = [16, 32];

    /// <summary>The spec as the user would write it, defaults filled in.</summary>
    public override string ToString() => $"{Kind}:{string.Join(",", Sizes)}";

    /// <summary>Parses <paramref name="text"/>; anything else is an ArgumentException naming the forms that work.</summary>
    public static ModelSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim().ToLowerInvariant();
        int colon = trimmed.IndexOf(':');
        string kind = colon < 0 ? trimmed : trimmed[..colon];
        if (kind is not ("mlp" or "cnn"))
            throw Bad(text, $"unknown model kind '{kind}'");
        if (colon < 0)
            return new ModelSpec(kind, kind == "mlp" ? DefaultMlp : DefaultCnn);

        var sizes = new List<int>();
        foreach (string part in trimmed[(colon + 1)..].Split(','))
        {
            if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int size) || size < 1 || size > 65536)
                throw Bad(text, $"'{part.Trim()}' is not a layer size from 1 to 65536");
            sizes.Add(size);
        }
        if (kind == "cnn" && sizes.Count != 2)
            throw Bad(text, "cnn takes two filter counts, e.g. cnn:16,32");
        return new ModelSpec(kind, sizes);
    }

    /// <summary>
    /// The network for rows of <paramref name="features"/> values and <paramref name="classes"/> classes; a cnn needs
    /// the features to be a square image (digits: 8×8), which a Reshape layer restores from the flat row. An mlp gets
    /// <paramref name="dropout"/> after each hidden layer when it is above 0.
    /// </summary>
    public Sequential Build(int features, int classes, long seed, double dropout)
    {
        var layers = new List<Layer>();
        if (Kind == "mlp")
        {
            for (int i = 0; i < Sizes.Count; i++)
            {
                layers.Add(new Dense(Sizes[i], "relu", name: $"dense_{i + 1}"));
                if (dropout > 0) layers.Add(new Dropout(dropout, seed + i, name: $"dropout_{i + 1}"));
            }
        }
        else
        {
            int side = (int)Math.Round(Math.Sqrt(features));
            if (side * side != features || side < 4)
                throw new ArgumentException($"--model {this}: a cnn needs square images of at least 4×4 pixels, but the data has {features} feature columns; use an mlp.");
            layers.Add(new Reshape([side, side, 1], name: "image"));
            layers.Add(new Conv2D(Sizes[0], 3, padding: "same", activation: "relu", name: "conv2d_1"));
            layers.Add(new MaxPooling2D(2, name: "max_pooling2d"));
            layers.Add(new Conv2D(Sizes[1], 3, padding: "same", activation: "relu", name: "conv2d_2"));
            layers.Add(new Flatten(name: "flatten"));
        }
        layers.Add(new Dense(classes, name: "logits"));
        return new Sequential(layers, [features], seed, Kind);
    }

    private static ArgumentException Bad(string text, string problem) =>
        new($"--model '{text}': {problem}; use mlp, mlp:UNITS,UNITS,... (e.g. mlp:128,64), cnn or cnn:FILTERS,FILTERS (e.g. cnn:16,32).");
}
