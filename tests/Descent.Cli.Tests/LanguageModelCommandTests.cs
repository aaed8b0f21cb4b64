using System.Globalization;
using System.Text.Json;
using Descent.Cli.Bench;
using Descent.Cli.Training;
using Descent.Nn.Language;

namespace Descent.Cli.Tests;

/// <summary>
/// One short <c>descent train --dataset shakespeare --json</c> run of a tiny GPT (the full run is a benchmark, not a
/// test), shared by the tests that inspect it and generate from it.
/// </summary>
public sealed class ShakespeareRun : IDisposable
{
    private readonly TempFolder _folder = new();

    public ShakespeareRun()
    {
        Out = Path.Combine(_folder.Path, "gpt");
        Json = CliRun.Json("train", "--dataset", "shakespeare", "--steps", "260", "--layers", "1", "--heads", "2", "--width", "16",
            "--context", "16", "--batch-size", "4", "--lr", "0.01", "--seed", "3", "--out", Out);
    }

    public string Out { get; }

    public JsonElement Json { get; }

    public void Dispose() => _folder.Dispose();
}

[Collection(TrainingCollection.Name)]
public class LanguageModelCommandTests(ShakespeareRun run) : IClassFixture<ShakespeareRun>
{
    [Fact]
    public void Train_json_reports_the_fields_the_issue_lists()
    {
        var json = run.Json;
        Assert.Equal("shakespeare", json.GetProperty("dataset").GetString());
        Assert.Equal("gpt", json.GetProperty("model").GetString());
        Assert.Equal("cpu", json.GetProperty("device").GetString());
        Assert.Equal(260, json.GetProperty("steps").GetInt32());
        // 1 block of width 16: embeddings 65·16 + 16·16, attention 4·(16² + 16), norms 4·16, MLP 16·64 + 64 + 64·16 + 16, final norm 32, head 16·65 + 65.
        Assert.Equal(65 * 16 + 16 * 16 + 4 * (16 * 16 + 16) + 4 * 16 + 16 * 64 + 64 + 64 * 16 + 16 + 32 + 16 * 65 + 65, json.GetProperty("parameters").GetInt64());
        double train = json.GetProperty("train_loss").GetDouble(), val = json.GetProperty("val_loss").GetDouble();
        // 260 steps take the loss well below a uniform guess over 65 characters (ln 65 ≈ 4.17).
        Assert.InRange(train, 1.0, 3.3);
        Assert.InRange(val, 1.0, 3.5);
        Assert.True(json.GetProperty("train_seconds").GetDouble() > 0);
        Assert.True(json.GetProperty("step_ms").GetDouble() > 0);
        Assert.Equal(LanguageModelSettings.SampleLength, json.GetProperty("sample").GetString()!.Length);
        Assert.Equal(65, json.GetProperty("vocabulary_size").GetInt32());
        Assert.Equal(1_003_854, json.GetProperty("train_tokens").GetInt32());
        Assert.Equal(111_540, json.GetProperty("validation_tokens").GetInt32());
        // Validation every 250 steps and after the last.
        Assert.Equal([250, 260], json.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("step").GetInt32()));
    }

    [Fact]
    public void Train_saves_the_model_with_its_vocabulary_history_and_curves()
    {
        string[] expected = ["model.safetensors", "model.json", "history.csv", "curves.png"];
        Assert.Equal(expected, run.Json.GetProperty("files").EnumerateArray().Select(f => f.GetString()!));
        Assert.Equal(expected.Order(), Directory.GetFiles(run.Out).Select(Path.GetFileName).Order());
        Png.AssertReadable(Path.Combine(run.Out, "curves.png"));
        var lines = File.ReadAllLines(Path.Combine(run.Out, "history.csv"));
        Assert.Equal(["step,train_loss,val_loss", "250", "260"], lines.Select(l => l.Split(',')[0] == "step" ? l : l.Split(',')[0]));
        var model = LanguageModel.Load(run.Out);
        Assert.Equal(65, model.Vocabulary.Size);
        Assert.Equal(16, model.Context);
        Assert.True(model.SupportsCache);
    }

    [Fact]
    public void Generate_continues_the_prompt_and_the_seed_fixes_the_text()
    {
        var json = CliRun.Json("generate", "--model", run.Out, "--prompt", "ROMEO:", "--tokens", "50", "--temperature", "0.8", "--top-k", "10", "--seed", "1");
        string text = json.GetProperty("text").GetString()!;
        Assert.Equal(50, text.Length);
        Assert.Equal("ROMEO:", json.GetProperty("prompt").GetString());
        Assert.True(json.GetProperty("tokens_per_second").GetDouble() > 0);
        Assert.False(json.GetProperty("prompt_cropped").GetBoolean());
        var again = CliRun.Json("generate", "--model", run.Out, "--prompt", "ROMEO:", "--tokens", "50", "--temperature", "0.8", "--top-k", "10", "--seed", "1");
        Assert.Equal(text, again.GetProperty("text").GetString());
        // The library gives the same text for the same arguments.
        Assert.Equal(text, LanguageModel.Load(run.Out).Generate("ROMEO:", 50, 0.8, 10, 1));

        var plain = CliRun.Of("generate", "--model", run.Out, "--prompt", "ROMEO:", "--tokens", "50", "--temperature", "0.8", "--top-k", "10", "--seed", "1");
        Assert.Equal(0, plain.ExitCode);
        Assert.StartsWith("ROMEO:" + text, plain.Out);
        Assert.Contains("tokens per second, with a key/value cache", plain.Out);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_cropped_with_a_note()
    {
        string prompt = string.Concat(Enumerable.Repeat("To be, or not to be. ", 2));
        var run2 = CliRun.Of("generate", "--model", run.Out, "--prompt", prompt, "--tokens", "5", "--json");
        Assert.Equal(0, run2.ExitCode);
        Assert.Equal($"descent: note: the prompt has {prompt.Length} characters, more than the model's context of 16; only its last 16 are read.", run2.Err.Trim());
        using var doc = JsonDocument.Parse(run2.Out);
        Assert.True(doc.RootElement.GetProperty("prompt_cropped").GetBoolean());
    }

    public static TheoryData<string[], string> BadGenerateInput => new()
    {
        { ["--prompt", "café"], "--prompt: the character 'é' (U+00E9) at position 3 is not in the model's vocabulary of 65 characters." },
        { ["--tokens", "0"], "--tokens must be between 1 and 100000, got 0." },
        { ["--temperature", "-1"], "--temperature must be 0 or more, got -1." },
        { ["--top-k", "0"], "--top-k must be at least 1, got 0." },
        { ["--prompt", ""], "--prompt is empty; give at least one character (the default is a newline)." },
    };

    [Theory]
    [MemberData(nameof(BadGenerateInput))]
    public void Bad_generate_input_gives_one_line_and_exit_2(string[] args, string message)
    {
        var result = CliRun.Of(["generate", "--model", run.Out, .. args]);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"descent: {message}", result.Err.Trim());
        Assert.Equal("", result.Out);
    }

    [Fact]
    public void Generate_refuses_a_folder_that_is_not_a_language_model()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliRun.Of("train", "--dataset", "iris", "--epochs", "1", "--out", folder.Path, "--json").ExitCode);
        var result = CliRun.Of("generate", "--model", folder.Path);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a language model (its model.json has no \"vocabulary\" in the metadata)", result.Err);
        Assert.Single(result.Err.Trim().Split('\n'));
        result = CliRun.Of("generate", "--model", Path.Combine(folder.Path, "missing"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("the folder does not exist", result.Err);
    }

    public static TheoryData<string[], string> BadTrainInput => new()
    {
        { ["--dataset", "shakespeare", "--model", "lstm", "--heads", "2"], "--heads is for --model gpt" },
        { ["--dataset", "shakespeare", "--model", "mlp"], "--model 'mlp': --dataset shakespeare trains a language model" },
        { ["--dataset", "shakespeare", "--epochs", "3"], "--epochs is for the classifiers" },
        { ["--dataset", "shakespeare", "--width", "30", "--heads", "4"], "--width 30 must be a multiple of --heads 4" },
        { ["--dataset", "shakespeare", "--steps", "0"], "--steps must be between 1 and 1000000, got 0" },
        { ["--dataset", "iris", "--steps", "10"], "--steps is for --dataset shakespeare" },
    };

    [Theory]
    [MemberData(nameof(BadTrainInput))]
    public void Bad_train_options_give_one_line_and_exit_2(string[] args, string message)
    {
        using var folder = new TempFolder();
        var result = CliRun.Of(["train", .. args, "--out", folder.Path]);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"descent: {message}", result.Err);
        Assert.Single(result.Err.Trim().Split('\n'));
    }

    [Fact]
    public void Train_runs_on_another_device_with_the_cpus_numbers()
    {
        using var cpuFolder = new TempFolder();
        using var referenceFolder = new TempFolder();
        string[] args = ["train", "--dataset", "shakespeare", "--steps", "3", "--layers", "1", "--heads", "2", "--width", "16", "--context", "16", "--batch-size", "4"];
        var cpu = CliRun.Json([.. args, "--out", cpuFolder.Path]);
        var reference = CliRun.Json([.. args, "--device", "reference", "--out", referenceFolder.Path]);
        Assert.Equal("reference", reference.GetProperty("device").GetString());
        Assert.Equal(cpu.GetProperty("val_loss").GetDouble(), reference.GetProperty("val_loss").GetDouble(), 4);
    }

    [Fact]
    public void The_lstm_char_rnn_trains_and_generates()
    {
        using var folder = new TempFolder();
        var json = CliRun.Json("train", "--dataset", "shakespeare", "--model", "lstm", "--steps", "60", "--width", "16", "--context", "16",
            "--batch-size", "4", "--lr", "0.01", "--out", folder.Path);
        Assert.Equal("lstm", json.GetProperty("model").GetString());
        Assert.Equal(LanguageModelSettings.DefaultLstmLayers, json.GetProperty("layers").GetInt32());
        // An embedding of 65·16, two LSTMs with kernels [16, 64] and [16, 64] and a bias [64], and a head of 16·65 + 65.
        Assert.Equal(65 * 16 + 2 * (16 * 64 + 16 * 64 + 64) + 16 * 65 + 65, json.GetProperty("parameters").GetInt64());
        Assert.True(json.GetProperty("val_loss").GetDouble() < Math.Log(65), $"val_loss {json.GetProperty("val_loss").GetDouble()}");
        var model = LanguageModel.Load(folder.Path);
        Assert.False(model.SupportsCache);
        var generated = CliRun.Json("generate", "--model", folder.Path, "--prompt", "ROMEO:", "--tokens", "20", "--seed", "1");
        Assert.Equal(20, generated.GetProperty("text").GetString()!.Length);
        Assert.Equal(generated.GetProperty("text").GetString(), model.Generate("ROMEO:", 20, 0.8, null, 1));
    }

    [Fact]
    public void The_babygpt_case_is_registered_and_its_step_lowers_the_loss()
    {
        Assert.Contains(BabyGptStep.Name, BenchSuite.Names);
        var bench = new BabyGptStep();
        double first = bench.Step().Item<float>();
        // Random targets: nothing to learn in general, but the one fixed batch is memorised step by step.
        for (int i = 0; i < 4; i++) bench.Step();
        double later = bench.Step().Item<float>();
        Assert.True(later < first, $"loss {first.ToString(CultureInfo.InvariantCulture)} → {later.ToString(CultureInfo.InvariantCulture)}");
    }
}
