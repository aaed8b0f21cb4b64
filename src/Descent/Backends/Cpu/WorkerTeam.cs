using System.Diagnostics;

namespace Descent.Backends.Cpu;

/// <summary>
/// A fixed team of dedicated threads that run one job (a multiply, an elementwise pass) together: the caller is member 0 and the
/// workers are members 1..n. Workers spin briefly after each job before they block, so back-to-back
/// multiplies pay neither a thread wake-up nor Parallel.For's dispatch. One multiply uses the team at a
/// time; concurrent ones fall back to Parallel.For.
/// </summary>
internal sealed class WorkerTeam
{
    // How long an idle worker polls for the next job before it blocks: long enough to cover the gap between
    // consecutive multiplies in a training step, short enough not to keep a core busy for nothing.
    private static readonly long SpinTicks = Stopwatch.Frequency / 10_000; // 100 µs

    private static WorkerTeam? _shared;
    private static readonly object CreateLock = new();

    private readonly int _workers;
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private int _busy;
    private int _job;          // bumped once per job; workers wait for it to change
    private int _members;      // members in the current job, the caller included
    private int _pending;      // workers still running the current job
    private Action<int>? _body;
    private Exception? _error;

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

    /// <summary>Takes the shared team if no other multiply holds it; <see cref="Release"/> gives it back.</summary>
    public static WorkerTeam? TryAcquire()
    {
        var team = _shared;
        if (team is null)
            lock (CreateLock)
                team = _shared ??= new WorkerTeam(Math.Max(2, Environment.ProcessorCount) - 1);
        return Interlocked.CompareExchange(ref team._busy, 1, 0) == 0 ? team : null;
    }

    public void Release() => Volatile.Write(ref _busy, 0);

    /// <summary>Runs body(member) on <paramref name="members"/> members at once and returns when all are done.</summary>
    public void Run(int members, Action<int> body)
    {
        _body = body;
        _members = members;
        _error = null;
        Volatile.Write(ref _pending, members - 1);
        Interlocked.Increment(ref _job);
        _wake.Set();
        try
        {
            body(0);
        }
        finally
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) != 0)
                spin.SpinOnce(-1);
            // Every worker has seen this job, so none can miss the next Set.
            _wake.Reset();
            _body = null;
        }
        if (_error is not null)
            throw new AggregateException(_error);
    }

    private void WorkerLoop(int member)
    {
        int seen = 0;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _job) == seen)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                    Thread.SpinWait(20);
                else
                    _wake.Wait();
            }
            seen = Volatile.Read(ref _job);
            if (member >= _members)
                continue;
            try
            {
                _body!(member);
            }
            catch (Exception e)
            {
                _error = e;
            }
            Interlocked.Decrement(ref _pending);
        }
    }
}
