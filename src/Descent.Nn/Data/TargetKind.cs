namespace Descent.Nn.Data;

/// <summary>How <see cref="CsvLoader"/> reads the target column.</summary>
public enum TargetKind
{
    /// <summary>
    /// Classes when the column holds text, or only integers with at most <see cref="CsvLoader.MaxAutoClasses"/>
    /// distinct values; numeric otherwise.
    /// </summary>
    Auto,

    /// <summary>Class labels: integers are sorted numerically, other values keep their order of first appearance.</summary>
    Classes,

    /// <summary>A numeric regression target; every value must be a finite number.</summary>
    Numeric,
}
