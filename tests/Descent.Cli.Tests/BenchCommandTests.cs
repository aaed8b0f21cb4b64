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
}
