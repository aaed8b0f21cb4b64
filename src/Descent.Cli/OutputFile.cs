namespace Descent.Cli;

/// <summary>Writes output files the way every save in Descent works: to a temporary file beside the
/// target, then renamed over it, so a crash never leaves half a file.</summary>
internal static class OutputFile
{
    public static void Write(string path, byte[] contents, string what)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Cannot write {what} '{path}': directory '{dir}' does not exist.");
        string temp = full + ".tmp";
        File.WriteAllBytes(temp, contents);
        File.Move(temp, full, overwrite: true);
    }

    public static void Write(string path, string contents, string what) =>
        Write(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents), what);
}
