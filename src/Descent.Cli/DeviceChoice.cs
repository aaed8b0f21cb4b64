using System.CommandLine;

namespace Descent.Cli;

/// <summary>
/// The <c>--device</c> option of <c>train</c>, <c>predict</c> and <c>bench</c>: cpu (the default), cuda or cuda:N. The
/// device is opened before any work, so a bad name or an absent GPU is one line and exit code 2.
/// </summary>
internal static class DeviceChoice
{
    public static Option<string> Create() => new("--device")
    {
        Description = "Where tensors live and kernels run: cpu, cuda or cuda:N (the CUDA libraries are found at run time; see README)",
        DefaultValueFactory = _ => "cpu",
        HelpName = "cpu|cuda|cuda:N",
    };

    /// <summary>The device <paramref name="text"/> names, opened; otherwise an error that says what was asked and why it failed.</summary>
    public static Device Open(string text)
    {
        // Only the kinds descent knows; Device.Parse would look for a Descent.<Kind> package for any other name.
        string kind = text.Trim().ToLowerInvariant().Split(':')[0];
        if (kind is not ("cpu" or "cuda" or "reference"))
            throw new ArgumentException($"--device: cannot read \"{text}\"; use cpu, cuda or cuda:N.");
        try
        {
            return Device.Parse(text);
        }
        catch (ArgumentException e) when (e.Message.StartsWith("Device: cannot read", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--device: cannot read \"{text}\"; use cpu, cuda or cuda:N.", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or DllNotFoundException)
        {
            throw new InvalidOperationException($"--device {text}: {e.Message}", e);
        }
    }
}
