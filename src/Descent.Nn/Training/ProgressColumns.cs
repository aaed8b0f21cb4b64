using Spectre.Console;
using Spectre.Console.Rendering;

namespace Descent.Nn.Training;

/// <summary>"12/47": steps done of the epoch's steps.</summary>
internal sealed class StepColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text($"{task.Value:0}/{task.MaxValue:0}");
}

/// <summary>"ETA: 3s" while running, the elapsed seconds once finished.</summary>
internal sealed class TimeColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        task.IsFinished
            ? new Text($"{(int)(task.ElapsedTime ?? TimeSpan.Zero).TotalSeconds}s")
            : new Text($"ETA: {(int)(task.RemainingTime ?? TimeSpan.Zero).TotalSeconds}s");
}

/// <summary>Time per step and the running metrics, which the reporter keeps in the task description (plain text, not markup).</summary>
internal sealed class MetricsColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(task.Description);
}
