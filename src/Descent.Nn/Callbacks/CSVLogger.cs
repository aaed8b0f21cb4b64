using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Descent.Nn.Callbacks;

/// <summary>
/// Writes one CSV row per epoch to <c>path</c>: "epoch" then every log name in sorted order, fixed by the first
/// epoch (Keras's CSVLogger). Numbers are written in round-trip invariant form; a name missing later gives "NA".
/// Each row is flushed, so the file is readable while training runs.
/// </summary>
public sealed class CSVLogger(string path, string separator = ",", bool append = false) : Callback, IDisposable
{
    private readonly string _path = path ?? throw new ArgumentNullException(nameof(path));
    private StreamWriter? _stream;
    private CsvWriter? _csv;
    private string[]? _keys;
    private bool _writeHeader;

    /// <inheritdoc />
    public override void OnTrainBegin(IDictionary<string, double> logs)
    {
        Dispose();
        _writeHeader = !(append && File.Exists(_path) && new FileInfo(_path).Length > 0);
        _stream = new StreamWriter(_path, append, new System.Text.UTF8Encoding(false));
        _csv = new CsvWriter(_stream, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = separator });
        _keys = null;
    }

    /// <inheritdoc />
    public override void OnEpochEnd(int epoch, IDictionary<string, double> logs)
    {
        var csv = _csv ?? throw new InvalidOperationException("CSVLogger: OnEpochEnd before OnTrainBegin.");
        _keys ??= logs.Keys.Order(StringComparer.Ordinal).ToArray();
        if (_writeHeader)
        {
            csv.WriteField("epoch");
            foreach (var key in _keys) csv.WriteField(key);
            csv.NextRecord();
            _writeHeader = false;
        }
        csv.WriteField(epoch.ToString(CultureInfo.InvariantCulture));
        foreach (var key in _keys)
            csv.WriteField(logs.TryGetValue(key, out double v) ? v.ToString("R", CultureInfo.InvariantCulture) : "NA");
        csv.NextRecord();
        csv.Flush();
    }

    /// <inheritdoc />
    public override void OnTrainEnd(IDictionary<string, double> logs) => Dispose();

    /// <summary>Closes the file if training ended abnormally.</summary>
    public void Dispose()
    {
        _csv?.Dispose();
        _stream?.Dispose();
        (_csv, _stream) = (null, null);
    }
}
