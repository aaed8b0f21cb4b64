using Descent.Backends.Cpu;
using Descent.Cli.Bench;

namespace Descent.Cli.Tests;

// bench sets Parallelism.MaxThreads, so it runs apart from the training tests that read it.
[Collection(TrainingCollection.Name)]
public class BenchCommandTests
{
    [Fact]
    public void Json_has_the_peer_schema_for_the_chosen_cases()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var json = CliRun.Json("bench", "--cases", "linreg_epoch,sum_4m", "--threads", "1");
            Assert.Contains("1 threads", json.GetProperty("runner").GetString());
            var cases = json.GetProperty("cases").EnumerateArray().ToList();
            Assert.Equal(["linreg_epoch", "sum_4m"], cases.Select(c => c.GetProperty("name").GetString()));
            Assert.Equal(["us", "ms"], cases.Select(c => c.GetProperty("unit").GetString()));
            Assert.All(cases, c => Assert.Equal("lower", c.GetProperty("better").GetString()));
            Assert.All(cases, c => Assert.True(c.GetProperty("value").GetDouble() > 0));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Theory]
    [InlineData("--cases", "sgemm_3")]
    [InlineData("--threads", "0")]
    [InlineData("--memory-steps", "19")]
    public void Bad_options_give_one_line_and_exit_2(string option, string value)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var run = CliRun.Of("bench", option, value);
            Assert.Equal(2, run.ExitCode);
            Assert.Single(run.Err.Trim().Split('\n'));
            Assert.StartsWith("descent: bench:", run.Err);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [Fact]
    public void Memory_report_has_the_cpu_pool_numbers_after_warm_up_and_at_the_end()
    {
        int saved = Parallelism.MaxThreads;
        System.Text.Json.JsonElement memory;
        try { memory = CliRun.Json("bench", "--cases", "linreg_epoch", "--memory", "--memory-steps", "40").GetProperty("memory"); }
        finally { Parallelism.MaxThreads = saved; }
        Assert.Equal("cpu", memory.GetProperty("device").GetString());
        Assert.Equal(40, memory.GetProperty("steps").GetInt32());
        Assert.Equal(2, memory.GetProperty("warmup_steps").GetInt32());
        Assert.True(memory.GetProperty("bytes_per_step").GetInt64() > 0);
        foreach (var stage in new[] { "warmup", "end" })
        {
            var stats = memory.GetProperty(stage);
            long allocated = stats.GetProperty("allocated_bytes").GetInt64();
            long reserved = stats.GetProperty("reserved_bytes").GetInt64();
            Assert.True(allocated > 0 && reserved >= allocated, $"{stage}: allocated {allocated}, reserved {reserved}");
            Assert.True(stats.GetProperty("peak_allocated_bytes").GetInt64() >= allocated, stage);
            Assert.Equal(reserved - allocated, stats.GetProperty("cached_bytes").GetInt64());
        }
    }
}
