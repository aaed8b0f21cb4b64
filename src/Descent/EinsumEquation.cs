namespace Descent;

/// <summary>
/// A parsed Einstein-summation equation ("bij,bjk->bik", "...ij,...jk", "abc,cde->abde") bound to operand shapes.
/// Each axis gets a label: a letter, or for the axes an ellipsis covers, a private label per position counted from the
/// right, so that ellipsis axes of different operands line up and broadcast as in NumPy.
/// </summary>
internal sealed class EinsumEquation
{
    // Ellipsis axes get labels from a range no equation can spell.
    private const char FirstEllipsisLabel = '\u0100';

    private EinsumEquation(string[] inputs, string output, Dictionary<char, int> sizes)
    {
        Inputs = inputs;
        Output = output;
        Sizes = sizes;
    }

    /// <summary>One label string per operand, one label per axis.</summary>
    public string[] Inputs { get; }

    /// <summary>The labels of the result's axes, in order.</summary>
    public string Output { get; }

    /// <summary>The size of each label's axis (size-1 ellipsis axes that broadcast count as the larger size).</summary>
    public Dictionary<char, int> Sizes { get; }

    public static EinsumEquation Parse(string equation, IReadOnlyList<int[]> shapes)
    {
        ArgumentNullException.ThrowIfNull(equation);
        string text = equation.Replace(" ", "");
        string[] sides = text.Split("->");
        if (sides.Length > 2) throw Error(equation, "has more than one '->'");
        string[] terms = sides[0].Split(',');
        if (terms.Length != shapes.Count)
            throw Error(equation, $"names {terms.Length} operand{(terms.Length == 1 ? "" : "s")} but {shapes.Count} were given");

        var inputs = new string[terms.Length];
        int ellipsisRank = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            var (letters, hasEllipsis) = Letters(equation, terms[i], $"operand {i}");
            int covered = shapes[i].Length - letters.Replace(".", "").Length;
            if (hasEllipsis ? covered < 0 : covered != 0)
                throw Error(equation, $"operand {i} has shape {ShapeUtil.Format(shapes[i])} ({shapes[i].Length} axes) but its subscripts '{terms[i]}' name {letters.Replace(".", "").Length}{(hasEllipsis ? " and an ellipsis" : "")}");
            ellipsisRank = Math.Max(ellipsisRank, hasEllipsis ? covered : 0);
            inputs[i] = hasEllipsis ? letters.Replace(".", EllipsisLabels(covered)) : letters;
        }

        var sizes = new Dictionary<char, int>();
        for (int i = 0; i < inputs.Length; i++)
        {
            for (int axis = 0; axis < inputs[i].Length; axis++)
            {
                char label = inputs[i][axis];
                if (inputs[i].IndexOf(label) != axis)
                    throw Error(equation, $"operand {i} repeats the subscript '{label}'; diagonals are not supported");
                int size = shapes[i][axis];
                if (!sizes.TryGetValue(label, out int known) || known == 1 && label >= FirstEllipsisLabel) sizes[label] = size;
                else if (known != size && !(label >= FirstEllipsisLabel && size == 1))
                    throw Error(equation, label >= FirstEllipsisLabel
                        ? $"the axes under '...' do not broadcast: {ShapeUtil.Format(shapes[i])} against size {known}"
                        : $"subscript '{label}' has size {known} in one place and {size} in operand {i}");
            }
        }

        string output;
        if (sides.Length == 2)
        {
            var (letters, hasEllipsis) = Letters(equation, sides[1], "the output");
            if (!hasEllipsis && ellipsisRank > 0)
                throw Error(equation, "the operands have axes under '...' but the output has no '...' to keep them");
            output = letters.Replace(".", EllipsisLabels(ellipsisRank));
            foreach (char label in output)
            {
                if (output.IndexOf(label) != output.LastIndexOf(label)) throw Error(equation, $"the output repeats the subscript '{label}'");
                if (!sizes.ContainsKey(label)) throw Error(equation, $"the output subscript '{label}' appears in no operand");
            }
        }
        else
        {
            // NumPy's implicit form: the ellipsis axes, then every letter used exactly once, in alphabetical order.
            var once = sizes.Keys.Where(l => l < FirstEllipsisLabel && inputs.Sum(t => t.Count(c => c == l)) == 1).Order();
            output = EllipsisLabels(ellipsisRank) + string.Concat(once);
        }
        return new EinsumEquation(inputs, output, sizes);
    }

    private static (string Letters, bool HasEllipsis) Letters(string equation, string term, string where)
    {
        int dots = term.IndexOf("...", StringComparison.Ordinal);
        string rest = dots < 0 ? term : term.Remove(dots, 3);
        foreach (char c in rest)
            if (!char.IsAsciiLetter(c))
                throw Error(equation, $"{where} '{term}' holds '{c}'; subscripts are letters a-z, A-Z and at most one '...'");
        // One '.' stands for the ellipsis until the axis count is known.
        return (dots < 0 ? term : term.Remove(dots, 3).Insert(dots, "."), dots >= 0);
    }

    // Right-aligned: the last ellipsis axis of every operand gets the same label.
    private static string EllipsisLabels(int count)
    {
        var labels = new char[count];
        for (int i = 0; i < count; i++) labels[i] = (char)(FirstEllipsisLabel + count - 1 - i);
        return new string(labels);
    }

    private static ArgumentException Error(string equation, string problem) => new($"Einsum: '{equation}' {problem}.");
}
