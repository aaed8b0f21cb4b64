namespace Descent.Cli;

/// <summary>
/// Ctrl-C for <c>descent</c>. Inside a section that can stop cleanly (<see cref="Catch"/>: the epochs of
/// <c>descent train</c>), the first Ctrl-C cancels <see cref="Token"/> and the command winds down: train stops after the
/// current batch and saves the last finished epoch. Outside such a section, or at a second Ctrl-C, the process ends
/// at once as usual.
/// </summary>
public sealed class Interrupts : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private int _sections;

    /// <summary>Cancelled by the first Ctrl-C inside a section.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether the command was interrupted.</summary>
    public bool Interrupted => _source.IsCancellationRequested;

    /// <summary>Tests' seam: raised when a section opens, and with the epoch (from 1) each time train finishes one.</summary>
    internal event Action? SectionOpened;

    /// <inheritdoc cref="SectionOpened"/>
    internal event Action<int>? EpochFinished;

    /// <summary>Marks a section that stops cleanly when <see cref="Token"/> is cancelled; dispose it when the section ends.</summary>
    public IDisposable Catch()
    {
        Interlocked.Increment(ref _sections);
        SectionOpened?.Invoke();
        return new Section(this);
    }

    /// <summary>
    /// Ctrl-C's handler (and a test's): cancels <see cref="Token"/> and returns true when a section is running and this
    /// is the first interrupt; false means the caller should let the process end.
    /// </summary>
    public bool TryInterrupt()
    {
        if (Volatile.Read(ref _sections) == 0 || _source.IsCancellationRequested) return false;
        _source.Cancel();
        return true;
    }

    /// <summary>Called by train after each epoch; see <see cref="EpochFinished"/>.</summary>
    internal void OnEpochFinished(int epoch) => EpochFinished?.Invoke(epoch);

    /// <inheritdoc/>
    public void Dispose() => _source.Dispose();

    private sealed class Section(Interrupts owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref owner._sections);
        }
    }
}
