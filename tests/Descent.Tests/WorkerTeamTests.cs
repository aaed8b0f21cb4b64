using Descent.Backends.Cpu;

namespace Descent.Tests;

[Collection("Threads")]
public class WorkerTeamTests
{
    private static void WithTeam(Action<WorkerTeam> use)
    {
        var team = WorkerTeam.TryAcquire();
        Assert.NotNull(team);
        try
        {
            use(team!);
        }
        finally
        {
            team!.Release();
        }
    }

    [Fact]
    public void Chunked_jobs_run_every_chunk_exactly_once()
    {
        WithTeam(team =>
        {
            var counts = new int[1000];
            for (int round = 0; round < 50; round++)
                team.RunChunks(counts.Length, team.Size, c => Interlocked.Increment(ref counts[c]));
            Assert.All(counts, n => Assert.Equal(50, n));
        });
    }

    [Fact]
    public void A_chunk_error_surfaces_as_itself_after_the_other_chunks_finish()
    {
        WithTeam(team =>
        {
            int done = 0;
            var e = Assert.Throws<ArgumentException>(() => team.RunChunks(64, team.Size, c =>
            {
                if (c == 7) throw new ArgumentException("chunk 7");
                Interlocked.Increment(ref done);
            }));
            Assert.Equal("chunk 7", e.Message);
            Assert.Equal(63, done);
            // The team still runs jobs afterwards.
            int ran = 0;
            team.RunChunks(3, team.Size, _ => Interlocked.Increment(ref ran));
            Assert.Equal(3, ran);
        });
    }
}
