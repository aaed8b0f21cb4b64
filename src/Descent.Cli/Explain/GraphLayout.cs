namespace Descent.Cli.Explain;

/// <summary>
/// A layered layout, left to right: a node's column is the length of the longest path from a leaf to
/// it, and its row is the mean row of its inputs, with leaves taking fresh rows in evaluation order.
/// For a tree that is the classic tidy layout (no two nodes in a column closer than one row); names
/// used twice can pull nodes together, so each column is then spread to rows at least one apart.
/// </summary>
internal static class GraphLayout
{
    /// <summary>Column and row of each node, indexed by node id.</summary>
    public static (int Column, double Row)[] Place(IReadOnlyList<GraphNode> nodes)
    {
        var place = new (int Column, double Row)[nodes.Count];
        int nextRow = 0;
        // Ids are in evaluation order, so every input is placed before the node that uses it.
        foreach (var n in nodes)
            place[n.Id] = n.Inputs.Count == 0
                ? (0, nextRow++)
                : (n.Inputs.Max(i => place[i].Column) + 1, n.Inputs.Average(i => place[i].Row));

        foreach (var column in nodes.GroupBy(n => place[n.Id].Column))
        {
            double previous = double.NegativeInfinity;
            foreach (var n in column.OrderBy(n => place[n.Id].Row).ThenBy(n => n.Id))
            {
                double row = Math.Max(place[n.Id].Row, previous + 1);
                place[n.Id] = (place[n.Id].Column, row);
                previous = row;
            }
        }
        return place;
    }
}
