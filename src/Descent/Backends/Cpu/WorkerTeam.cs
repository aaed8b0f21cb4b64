using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Descent.Backends.Cpu;

/// <summary>
/// A fixed team of dedicated threads that run one job (a multiply, an elementwise pass) together: the caller is member 0 and the
/// workers are members 1..n. Workers poll briefly after each job before they block, so back-to-back
/// jobs pay neither a thread wake-up nor Parallel.For's dispatch. One job uses the team at a
/// time; concurrent ones fall back to Parallel.For.
/// </summary>
internal sealed class WorkerTeam
{
    // How long an idle worker polls for the next job before it blocks: long enough to cover the gap between
    // consecutive multiplies in a training step, short enough not to keep a core busy for nothing. It polls with
    // Thread.Yield, which returns at once on an idle core but lets any other ready thread run first: the JIT's
    // tier-up thread, the GC's, or the caller's own process on a busy machine, where a hard spin cost 5x in
    // `descent train` (Linux shares CPU time fairly between sessions, so the spin was taken from our own main thread).
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // 100 µs

    private static WorkerTeam? _shared;
    private static readonly object CreateLock = new();

    private readonly int _workers;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private int _busy;
    private int _lastId;
    // The current job, published whole: a worker reads it once, so it can never mix one job's member
    // count with another job's body, nor run a job twice. A worker that reads it after the caller has
    // finished every chunk finds nothing left to claim.
    private Job? _current;

    /// <summary>Chunks calls of Body, which the members claim one at a time.</summary>
    private sealed class Job(int id, int members, int chunks, Action<int> body)
    {
        public readonly int Id = id;
        public readonly int Members = members;
        public readonly int Chunks = chunks;
        public readonly Action<int> Body = body;
        public int Claimed = -1; // the last chunk taken
        public int Done;         // chunks finished
        public Exception? Error;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private WorkerTeam(int workers)
    {
        _workers = workers;
        for (int w = 1; w <= workers; w++)
        {
            int member = w;
            new Thread(() => WorkerLoop(member)) { IsBackground = true, Name = $"Descent worker {member}" }.Start();
        }
    }

    /// <summary>The most members a job can have: the caller plus the workers.</summary>
    public int Size => _workers + 1;

    /// <summary>Takes the shared team if no other job holds it; <see cref="Release"/> gives it back.</summary>
    public static WorkerTeam? TryAcquire()
    {
        var team = _shared;
        if (team is null)
            lock (CreateLock)
                team = _shared ??= new WorkerTeam(Math.Max(2, Environment.ProcessorCount) - 1);
        return Interlocked.CompareExchange(ref team._busy, 1, 0) == 0 ? team : null;
    }

    public void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>
    /// Runs body(chunk) for every chunk in [0, <paramref name="chunks"/>), up to <paramref name="members"/> members
    /// at once, and returns when every chunk is done. Members claim chunks one at a time, so a worker that is slow
    /// to wake (or that the OS has descheduled) never holds the caller up: the caller runs whatever is left, and a
    /// worker that arrives late finds nothing to do.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RunChunks(int chunks, int members, Action<int> body)
    {
        var job = new Job(++_lastId, members, chunks, body);
        Volatile.Write(ref _current, job);
        _wake.Set();
        Drain(job);
        var spin = new SpinWait();
        while (Volatile.Read(ref job.Done) != chunks)
            spin.SpinOnce(-1);
        _wake.Reset();
        // An exception from a chunk surfaces as itself, whichever member ran it.
        if (job.Error is { } error)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Drain(Job job)
    {
        int chunk;
        while ((chunk = Interlocked.Increment(ref job.Claimed)) < job.Chunks)
        {
            try
            {
                job.Body(chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref job.Error, e, null);
            }
            Interlocked.Increment(ref job.Done);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void WorkerLoop(int member)
    {
        int seen = 0;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            Job? job;
            while ((job = Volatile.Read(ref _current)) is null || job.Id == seen)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                    Thread.Yield();
                else
                    _wake.Wait();
            }
            seen = job.Id;
            if (member < job.Members)
                Drain(job);
        }
    }
}
