using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// Walks one to three operands of the same shape as rows of a common innermost run.
/// Axes of size 1 are dropped and neighbouring axes merged wherever every operand's strides allow,
/// so contiguous and simply-broadcast data become one long row and fast span kernels apply.
/// </summary>
internal sealed class RowPlan
{
    /// <summary>The length of each row.</summary>
    public int Inner { get; }

    /// <summary>The number of rows (product of the outer axes).</summary>
    public int Rows { get; }

    /// <summary>Each operand's stride along the row.</summary>
    public int[] InnerStrides { get; }

    private readonly int[] _outerShape;
    private readonly int[][] _outerStrides;
    private readonly int[] _offsets;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public RowPlan(IReadOnlyList<int> shape, params Layout[] layouts)
    {
        int n = layouts.Length;
        var dims = new List<int>(shape.Count);
        var strides = new List<int[]>(shape.Count);
        for (int axis = 0; axis < shape.Count; axis++)
        {
            if (shape[axis] == 1) continue;
            var s = new int[n];
            for (int o = 0; o < n; o++) s[o] = layouts[o].StrideArray[axis];
            if (dims.Count > 0 && CanMerge(dims[^1], strides[^1], shape[axis], s))
            {
                dims[^1] *= shape[axis];
                strides[^1] = s;
            }
            else
            {
                dims.Add(shape[axis]);
                strides.Add(s);
            }
        }
        _offsets = new int[n];
        for (int o = 0; o < n; o++) _offsets[o] = layouts[o].Offset;
        if (dims.Count == 0)
        {
            // Every axis has size 1: a single element.
            Inner = 1;
            Rows = 1;
            InnerStrides = new int[n];
            _outerShape = [];
            _outerStrides = [];
            return;
        }
        Inner = dims[^1];
        InnerStrides = strides[^1];
        _outerShape = dims.Take(dims.Count - 1).ToArray();
        _outerStrides = strides.Take(strides.Count - 1).ToArray();
        int rows = 1;
        foreach (int d in _outerShape) rows *= d;
        Rows = rows;
    }

    // Axis (d0, s0) followed by axis (d1, s1) walk memory as one axis when s0 == s1 * d1 for every operand.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool CanMerge(int d0, int[] s0, int d1, int[] s1)
    {
        for (int o = 0; o < s0.Length; o++)
            if (s0[o] != s1[o] * d1) return false;
        return true;
    }

    /// <summary>Writes each operand's storage index of the first element of <paramref name="row"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RowStart(int row, Span<int> starts)
    {
        for (int o = 0; o < _offsets.Length; o++) starts[o] = _offsets[o];
        for (int axis = _outerShape.Length - 1; axis >= 0 && row > 0; axis--)
        {
            int i = row % _outerShape[axis];
            row /= _outerShape[axis];
            var s = _outerStrides[axis];
            for (int o = 0; o < starts.Length; o++) starts[o] += i * s[o];
        }
    }

    /// <summary>
    /// Runs body(row, columnStart, columnCount, starts) over every row segment, in parallel above the
    /// element threshold. Long single rows are cut into fixed segments so they parallelise too.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(RowBody body)
    {
        int total = Rows * Inner;
        if (total == 0) return;
        if (total < Parallelism.ElementThreshold)
        {
            Span<int> starts = stackalloc int[_offsets.Length];
            for (int r = 0; r < Rows; r++)
            {
                RowStart(r, starts);
                body(r, 0, Inner, starts);
            }
            return;
        }
        const int Segment = 1 << 17;
        if (Inner >= Segment)
        {
            int perRow = (Inner + Segment - 1) / Segment;
            Parallelism.For(Rows * perRow, 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
            {
                Span<int> starts = stackalloc int[_offsets.Length];
                for (int c = start; c < end; c++)
                {
                    int r = c / perRow, col = (c % perRow) * Segment;
                    RowStart(r, starts);
                    body(r, col, Math.Min(Segment, Inner - col), starts);
                }
            });
            return;
        }
        int grain = Math.Max(1, Segment / Math.Max(1, Inner));
        Parallelism.For(Rows, grain, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (start, end) =>
        {
            Span<int> starts = stackalloc int[_offsets.Length];
            for (int r = start; r < end; r++)
            {
                RowStart(r, starts);
                body(r, 0, Inner, starts);
            }
        });
    }
}

/// <summary>One row segment: the row, its first column, the column count and each operand's row start.</summary>
internal delegate void RowBody(int row, int column, int count, ReadOnlySpan<int> starts);
