namespace Descent.Cuda.Kernels;

/// <summary>
/// The fused Adam step (<see cref="Descent.Backends.IBackend.AdamStep"/>): one pass over w, g, m, v (and vMax), each
/// product, quotient, sum and square root rounded on its own with the _rn intrinsics, in the unfused formula's order, so
/// no multiply and add is fused where the CPU rounds twice: the CPU's bits.
/// </summary>
internal static class AdamKernels
{
    /// <summary>
    /// Parameters: n, w, lw, g, lg, m, v, vmax, hasMax, decoupled, coupled, b1, b2, c1, c2, step, correction, eps, l2, decay
    /// (the scalars in the dtype). w and g go through their collapsed layouts; m, v and vmax are whole contiguous buffers.
    /// </summary>
    public static KernelSpec Step(DType dtype, int rank)
    {
        string t = CTypes.Of(dtype), p = dtype == DType.Float32 ? "__f" : "__d";
        string Mul(string a, string b) => $"{p}mul_rn({a}, {b})";
        string Add(string a, string b) => $"{p}add_rn({a}, {b})";
        string body = $$"""
            int wi_ = at<{{rank}}>(lw, i);
            {{t}} wi = w[wi_], gi = g[at<{{rank}}>(lg, i)];
            if (decoupled) wi = {{Mul("wi", "decay")}};
            if (coupled) gi = {{Add("gi", Mul("wi", "l2"))}};
            {{t}} mi = {{Add(Mul("m[i]", "b1"), Mul("gi", "c1"))}};
            {{t}} vi = {{Add(Mul("v[i]", "b2"), Mul(Mul("gi", "gi"), "c2"))}};
            m[i] = mi;
            v[i] = vi;
            if (hasMax) { vi = vmax(vmaxes[i], vi); vmaxes[i] = vi; }
            {{t}} denominator = {{Add($"{p}div_rn({p}sqrt_rn(vi), correction)", "eps")}};
            w[wi_] = {{p}}sub_rn(wi, {{Mul($"{p}div_rn(mi, denominator)", "step")}});
            """;
        var parameters = new List<KernelParam>
        {
            KernelParam.Int("n"), KernelParam.Out("w", t), KernelParam.Lay("lw", rank), KernelParam.In("g", t), KernelParam.Lay("lg", rank),
            KernelParam.Out("m", t), KernelParam.Out("v", t), KernelParam.Out("vmaxes", t),
            KernelParam.Int("hasMax"), KernelParam.Int("decoupled"), KernelParam.Int("coupled"),
        };
        parameters.AddRange(new[] { "b1", "b2", "c1", "c2", "step", "correction", "eps", "l2", "decay" }.Select(name => KernelParam.Scalar(name, t)));
        return new KernelSpec($"adam_{CTypes.Tag(dtype)}_r{rank}", parameters, CTypes.GridLoop("n", body));
    }
}
