using Descent.Backends.Cpu;

namespace Descent.Cli.Tests;

/// <summary>A fact for machines where the cuda device does not open (the reason a user sees is then what it checks).</summary>
public sealed class WithoutGpuFactAttribute : FactAttribute
{
    public WithoutGpuFactAttribute()
    {
        try
        {
            Device.Parse("cuda");
            Skip = "a CUDA device opens here";
        }
        catch (InvalidOperationException)
        {
        }
    }
}

/// <summary>--device on train, predict and bench: where the run goes, and one line with exit code 2 when the device is wrong or absent.</summary>
[Collection(TrainingCollection.Name)]
public class DeviceOptionTests
{
    [Theory]
    [InlineData("train")]
    [InlineData("predict", "--model", "m", "--input", "i.csv")]
    [InlineData("bench")]
    public void A_device_name_that_cannot_be_read_is_one_line_and_exit_2(string command, params string[] rest)
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var run = CliRun.Of([command, .. rest, "--device", "gpu:0"]);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal("descent: --device: cannot read \"gpu:0\"; use cpu, cuda or cuda:N.", run.Err.Trim());
            run = CliRun.Of([command, .. rest, "--device", "cuda:x"]);
            Assert.Equal("descent: --device: cannot read \"cuda:x\"; use cpu, cuda or cuda:N.", run.Err.Trim());
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    [WithoutGpuFact]
    public void Cuda_without_a_gpu_says_what_it_looked_for()
    {
        using var folder = new TempFolder();
        var run = CliRun.Of("train", "--dataset", "iris", "--device", "cuda", "--out", folder.File("run"));
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.Err.Trim().Split('\n'));
        Assert.StartsWith("descent: --device cuda: CUDA: cannot load the CUDA driver API (libcuda.so.1). Tried, in order: ", run.Err);
        Assert.Contains("DESCENT_CUDA_LIBS", run.Err);
        Assert.False(Directory.Exists(folder.File("run")), "nothing is written when the device does not open");
    }

    [Fact]
    public void Train_runs_on_the_device_it_is_given_and_says_so()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("train", "--dataset", "iris", "--epochs", "2", "--device", "reference", "--out", folder.File("run"));
        Assert.Equal("reference", json.GetProperty("device").GetString());
        Assert.True(File.Exists(folder.File("run/model.safetensors")));
        // The saved model predicts on either device alike.
        string csv = folder.File("rows.csv");
        File.WriteAllText(csv, "sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n6.7,3.0,5.2,2.3\n");
        var onCpu = CliRun.Json("predict", "--model", folder.File("run"), "--input", csv);
        var onReference = CliRun.Json("predict", "--model", folder.File("run"), "--input", csv, "--device", "reference");
        Assert.Equal("cpu", onCpu.GetProperty("device").GetString());
        Assert.Equal("reference", onReference.GetProperty("device").GetString());
        Assert.Equal(Labels(onCpu), Labels(onReference));

        static string[] Labels(System.Text.Json.JsonElement json) =>
            [.. json.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("class").GetString()!)];
    }

    [Fact]
    public void Bench_runs_its_cases_on_the_cpu_or_a_gpu_only()
    {
        int saved = Parallelism.MaxThreads;
        try
        {
            var run = CliRun.Of("bench", "--device", "reference", "--cases", "sum_4m");
            Assert.Equal(2, run.ExitCode);
            Assert.Equal("descent: bench: --device takes cpu or cuda[:N]; the cases do not run on reference.", run.Err.Trim());
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
