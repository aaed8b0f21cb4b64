using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Descent.Nn.Language;
using Spectre.Console;

namespace Descent.Cli.Commands;

/// <summary><c>descent generate</c>: continue a prompt with a language model saved by <c>descent train --dataset shakespeare</c>.</summary>
internal static class GenerateCommand
{
    public const int MaxTokens = 100_000;

    public static Command Create(CliContext cli)
    {
        var model = new Option<string>("--model") { Description = "A folder written by descent train --dataset shakespeare", Required = true, HelpName = "DIR" };
        var prompt = new Option<string>("--prompt") { Description = "The text to continue (a newline by default)", DefaultValueFactory = _ => "\n" };
        var tokens = new Option<int>("--tokens") { Description = "Characters to generate", DefaultValueFactory = _ => 300 };
        var temperature = new Option<double>("--temperature") { Description = "Divides the logits: below 1 is more conservative, 0 always picks the likeliest", DefaultValueFactory = _ => 0.8 };
        var topK = new Option<int?>("--top-k") { Description = "Sample only from the K likeliest characters (default: all)", HelpName = "K" };
        var seed = new Option<long>("--seed") { Description = "Fixes the random draws: the same seed gives the same text", DefaultValueFactory = _ => 42 };
        var command = new Command("generate", "Generate text with a trained language model") { model, prompt, tokens, temperature, topK, seed };
        command.SetAction(parseResult =>
        {
            string folder = parseResult.GetValue(model)!;
            string text = parseResult.GetValue(prompt)!;
            int count = parseResult.GetValue(tokens);
            double t = parseResult.GetValue(temperature);
            int? k = parseResult.GetValue(topK);
            long s = parseResult.GetValue(seed);
            if (count is < 1 or > MaxTokens) throw new ArgumentException($"--tokens must be between 1 and {MaxTokens}, got {count}.");
            if (!(t >= 0 && double.IsFinite(t))) throw new ArgumentException($"--temperature must be 0 or more, got {t.ToString(CultureInfo.InvariantCulture)}.");
            if (k is < 1) throw new ArgumentException($"--top-k must be at least 1, got {k}.");
            if (text.Length == 0) throw new ArgumentException("--prompt is empty; give at least one character (the default is a newline).");
            if (!Directory.Exists(folder))
                throw new DirectoryNotFoundException($"--model '{folder}': the folder does not exist; give a folder written by descent train --dataset shakespeare.");

            var languageModel = LanguageModel.Load(folder);
            for (int i = 0; i < text.Length; i++)
                if (!languageModel.Vocabulary.Contains(text[i]))
                    throw new ArgumentException($"--prompt: the character {Describe(text[i])} at position {i} is not in the model's vocabulary of {languageModel.Vocabulary.Size} characters.");
            bool cropped = text.Length > languageModel.Context;
            if (cropped)
            {
                cli.Error.WriteLine($"descent: note: the prompt has {text.Length} characters, more than the model's context of {languageModel.Context}; only its last {languageModel.Context} are read.");
                cli.Error.Flush();
            }

            var clock = Stopwatch.StartNew();
            string generated = languageModel.Generate(text, count, t, k, s);
            double seconds = clock.Elapsed.TotalSeconds;
            double perSecond = count / Math.Max(seconds, 1e-9);
            if (cli.IsJson(parseResult))
                cli.WriteJson(new Json(folder, text, generated, count, t, k, s, cropped, Math.Round(seconds, 4), Math.Round(perSecond, 1)));
            else
            {
                // Straight to the writer: Spectre would wrap long lines of the text at the console width.
                cli.Out.Write(text + generated);
                cli.Out.WriteLine();
                cli.Out.WriteLine();
                cli.Out.Flush();
                cli.Console.WriteLine($"{count} characters in {seconds.ToString("F2", CultureInfo.InvariantCulture)} s " +
                    $"({perSecond.ToString("F0", CultureInfo.InvariantCulture)} tokens per second{(languageModel.SupportsCache ? ", with a key/value cache" : "")}).");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--json</c> document; docs/cli.md describes each field.</summary>
    private sealed record Json(string Model, string Prompt, string Text, int Tokens, double Temperature, int? TopK, long Seed, bool PromptCropped,
        double Seconds, double TokensPerSecond);

    private static string Describe(char c) => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}' (U+{(int)c:X4})";
}
