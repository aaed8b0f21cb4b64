namespace Descent.Backends;

/// <summary>
/// A device's memory as its allocator counts it, like <c>torch.cuda.memory_allocated</c>,
/// <c>memory_reserved</c> and <c>max_memory_allocated</c>. Read it with <see cref="Device.Memory"/>.
/// </summary>
/// <param name="AllocatedBytes">
/// Bytes in buffers handed out and not yet reclaimed: live tensors' buffers, plus those of dead tensors the
/// garbage collector has not yet finalized (users never call <c>Dispose</c>, so a buffer comes back only then).
/// </param>
/// <param name="ReservedBytes">
/// <paramref name="AllocatedBytes"/> plus the free buffers the allocator keeps cached for reuse: what the
/// device holds on the tensors' behalf.
/// </param>
/// <param name="PeakAllocatedBytes">The most <paramref name="AllocatedBytes"/> reached since the last <see cref="Device.ResetPeakMemory"/>.</param>
public readonly record struct MemoryStats(long AllocatedBytes, long ReservedBytes, long PeakAllocatedBytes)
{
    /// <summary>Bytes cached for reuse: <see cref="ReservedBytes"/> − <see cref="AllocatedBytes"/>.</summary>
    public long CachedBytes => ReservedBytes - AllocatedBytes;
}
