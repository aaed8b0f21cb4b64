namespace Descent.Backends;

/// <summary>
/// The closed set of primitive kernels a device provides. Every kernel takes layouts, so views
/// (transposed, sliced, broadcast) reach it without a copy. Outputs are always contiguous buffers
/// the caller allocated with <see cref="Allocate"/>. Kernels know nothing of gradients.
/// </summary>
public interface IBackend
{
    /// <summary>A short name for messages ("cpu").</summary>
    string Name { get; }

    // ---- The device half: memory, transfers, synchronisation, randomness, checks. ----

    /// <summary>The device this backend runs on; tensors report it as their <see cref="Tensor.Device"/>.</summary>
    Device Device { get; }

    /// <summary>A buffer of <paramref name="length"/> elements; zero-filled when <paramref name="zeroed"/>.</summary>
    Storage Allocate(DType dtype, int length, bool zeroed);

    /// <summary>Copies host <paramref name="source"/> into the start of <paramref name="destination"/> (same dtype, at least as long).</summary>
    void Upload<T>(ReadOnlySpan<T> source, Storage destination) where T : unmanaged;

    /// <summary>Copies <paramref name="destination"/>.Length elements of <paramref name="source"/>, from <paramref name="offset"/> on, to the host. Waits for pending work.</summary>
    void Download<T>(Storage source, int offset, Span<T> destination) where T : unmanaged;

    /// <summary>
    /// What this device's allocator holds, by its own count (<see cref="MemoryStats"/>). The allocator also acts on
    /// these numbers: device memory is invisible to the GC, so it asks for a collection itself (<see cref="PoolAccounting"/>).
    /// </summary>
    MemoryStats Memory { get; }

    /// <summary>Starts <see cref="MemoryStats.PeakAllocatedBytes"/> again from the bytes allocated now.</summary>
    void ResetPeakMemory();

    /// <summary>Waits until every kernel launched so far has finished (a no-op on synchronous devices).</summary>
    void Synchronize();

    /// <summary>
    /// Fills the contiguous float <paramref name="y"/>: element i is <see cref="Philox.Sample"/>(distribution,
    /// seed, offset + i, a, b), so the values do not depend on the device or the thread count.
    /// </summary>
    void Random(RandomDistribution distribution, ulong seed, ulong offset, double a, double b, Storage y);

    /// <summary>
    /// Checks a bool scalar an op computed on this device (a range check done as a reduction) and throws
    /// <paramref name="failure"/>() when it is false. A synchronous device checks at once; an asynchronous
    /// one may defer the check to its next download, so a training step costs no extra round trip.
    /// </summary>
    void Verify(Storage condition, Func<Exception> failure);

    /// <summary>Copies the elements of <paramref name="src"/> (any layout) into <paramref name="dst"/> (any layout, same shape).</summary>
    void Copy(Storage src, Layout srcLayout, Storage dst, Layout dstLayout);

    /// <summary>Sets every element <paramref name="dstLayout"/> addresses to <paramref name="value"/>.</summary>
    void Fill(Storage dst, Layout dstLayout, double value);

    /// <summary>y = op(x), y contiguous with x's shape.</summary>
    void Unary(UnaryOp op, Storage x, Layout xLayout, Storage y);

    /// <summary>y = op(a, b); both layouts are already broadcast to y's shape.</summary>
    void Binary(BinaryOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y);

    /// <summary>y = a op b as bool; both layouts are already broadcast to y's shape.</summary>
    void Compare(CompareOp op, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y);

    /// <summary>y = condition ? a : b; all three layouts broadcast to y's shape.</summary>
    void Where(Storage condition, Layout conditionLayout, Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y);

    /// <summary>Reduces x over <paramref name="axes"/> (sorted, distinct) into y, contiguous in the remaining axes' order.</summary>
    void Reduce(ReduceOp op, Storage x, Layout xLayout, int[] axes, Storage y);

    /// <summary>The int64 index of the first maximum (or minimum) along <paramref name="axis"/>.</summary>
    void ArgReduce(ReduceOp op, Storage x, Layout xLayout, int axis, Storage y);

    /// <summary>
    /// Batched matrix product. Both layouts have the same rank r ≥ 2 and batch axes already broadcast
    /// to y's batch shape (stride 0 where broadcast): a is [..., m, k], b is [..., k, n], y is [..., m, n].
    /// </summary>
    void MatMul(Storage a, Layout aLayout, Storage b, Layout bLayout, Storage y);

    /// <summary>y[o, i, r] = x[o, indices[i], r] along <paramref name="axis"/>; indices are int32 or int64 and already range-checked.</summary>
    void Gather(Storage x, Layout xLayout, int axis, Storage indices, Layout indicesLayout, Storage y);

    /// <summary>y[o, indices[i], r] += updates[o, i, r]; y is contiguous with shape <paramref name="yShape"/>.</summary>
    void ScatterAdd(Storage updates, Layout updatesLayout, int axis, Storage indices, Layout indicesLayout, Storage y, int[] yShape);

    /// <summary>
    /// In place on a contiguous [rows, cols] <paramref name="y"/>: adds <paramref name="bias"/> [cols] to every row
    /// (when given), then applies <paramref name="activation"/>: the epilogue of a fused dense layer.
    /// </summary>
    void BiasActivation(Storage y, Layout yLayout, Storage? bias, Layout? biasLayout, FusedActivation activation);

    /// <summary>y += alpha · x in place (an optimizer's update), x's layout already broadcast to y's.</summary>
    void ScaledAdd(Storage y, Layout yLayout, Storage x, Layout xLayout, double alpha);

    /// <summary>
    /// One Adam step in place, element by element, in the order the unfused formula rounds (float32 and float64):
    /// w ← w·decay; g ← g + λw; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; (AMSGrad: vMax ← max(vMax, v), used for v);
    /// w ← w − m / (√v / c₂ + ε) · stepSize. w and g are contiguous with w's size (possibly at an offset); m, v and
    /// vMax are whole contiguous buffers of that size, owned by the optimizer. One pass instead of a dozen ops.
    /// </summary>
    void AdamStep(Storage w, Layout wLayout, Storage g, Layout gLayout, Storage m, Storage v, Storage? vMax, AdamStepArgs args);

    /// <summary>Converts every element to y's dtype.</summary>
    void Cast(Storage x, Layout xLayout, Storage y);

    /// <summary>
    /// Fused softmax cross-entropy over rows of <paramref name="logits"/> [n, c] with int class
    /// <paramref name="labels"/> [n]: loss[i] = logsumexp(row i) − row i[label i]. When
    /// <paramref name="gradient"/> is given it receives softmax(row) − onehot(label), the loss's
    /// derivative, from the same pass. Labels are already range-checked by the op (<see cref="Verify"/>).
    /// </summary>
    void SoftmaxCrossEntropy(Storage logits, Layout logitsLayout, Storage labels, Layout labelsLayout, Storage loss, Storage? gradient);

    /// <summary>
    /// y[b, oh, ow, co] = Σ_{i,j,ci} x[b, oh·sh + i·dh − padTop, ow·sw + j·dw − padLeft, ci] · w[i, j, ci, co]; out-of-range x reads as 0.
    /// x: NHWC any layout; w: [kh, kw, cin, cout] any layout; y: contiguous [B, Ho, Wo, cout], overwritten.
    /// Float32 and float64; other dtypes throw ArgumentException naming the op.
    /// </summary>
    void Conv2D(Storage x, Layout xLayout, Storage w, Layout wLayout, Storage y, Conv2DGeometry g);

    /// <summary>dx = ∂/∂x of Σ y·dy: dx contiguous [B, H, W, cin], overwritten. dy: any layout [B, Ho, Wo, cout].</summary>
    void Conv2DBackwardInput(Storage dy, Layout dyLayout, Storage w, Layout wLayout, Storage dx, Conv2DGeometry g);

    /// <summary>dw = ∂/∂w of Σ y·dy: dw contiguous [kh, kw, cin, cout], overwritten.</summary>
    void Conv2DBackwardFilter(Storage x, Layout xLayout, Storage dy, Layout dyLayout, Storage dw, Conv2DGeometry g);

    /// <summary>
    /// Max pooling over NHWC windows of g's kernel size, strides, dilations and padding (g.OutChannels = g.InChannels):
    /// y[b, oh, ow, c] is the largest in-range x[b, oh·sh + i·dh − padTop, ow·sw + j·dw − padLeft, c] (padding never
    /// wins; a NaN does), and argmax (int32, contiguous like y) its index in x's contiguous [B, H, W, C] order, the first
    /// on ties. Every window holds at least one in-range cell. Float32 and float64.
    /// </summary>
    void MaxPool2D(Storage x, Layout xLayout, Storage y, Storage argmax, Conv2DGeometry g);
}
