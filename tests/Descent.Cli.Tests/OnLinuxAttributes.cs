namespace Descent.Cli.Tests;

/// <summary>A fact that needs Linux (signals sent with kill, /proc and /sys); elsewhere it is reported as skipped, not passed.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
    }
}

/// <summary>A theory that needs Linux; elsewhere it is reported as skipped, not passed.</summary>
public sealed class LinuxTheoryAttribute : TheoryAttribute
{
    public LinuxTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "needs Linux";
    }
}
