using Xunit.Abstractions;
using Xunit.Sdk;

namespace Descent.Testing;

/// <summary>A fact, or one pre-enumerated theory row, run with <see cref="DeviceName"/> as the default device.</summary>
public sealed class DeviceTestCase : XunitTestCase, IDeviceTestCase
{
    private string? _rowSkip;
    private int _notRun;

    /// <summary>For the deserializer.</summary>
    [Obsolete("Called by the deserializer only.")]
    public DeviceTestCase() => DeviceName = "";

    /// <summary>A case of <paramref name="testMethod"/> on <paramref name="deviceName"/>; <paramref name="rowSkip"/> keeps a skipped data row skipped.</summary>
    public DeviceTestCase(string deviceName, IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options,
        ITestMethod testMethod, object[]? arguments, string? rowSkip)
        : base(sink, display, options, testMethod, arguments)
    {
        DeviceName = deviceName;
        _rowSkip = rowSkip;
    }

    /// <summary>One skipped entry standing for the <paramref name="count"/> tests of a class that <paramref name="deviceName"/>, absent here, did not run.</summary>
    public static DeviceTestCase NotRun(string deviceName, int count, IMessageSink sink, TestMethodDisplay display,
        TestMethodDisplayOptions options, ITestMethod anyTestOfTheClass) =>
        new(deviceName, sink, display, options, anyTestOfTheClass, null, null) { _notRun = count };

    /// <inheritdoc/>
    public string DeviceName { get; private set; }

    /// <inheritdoc/>
    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) => _notRun > 0
        ? $"{TestMethod.TestClass.Class.Name} [{DeviceName}]: {_notRun} test cases not run"
        : $"{base.GetDisplayName(factAttribute, displayName)} [{DeviceName}]";

    /// <inheritdoc/>
    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        TestDevices.WhyAbsent(DeviceName) ?? TestDevices.SkippedOn(TestMethod, DeviceName) ?? base.GetSkipReason(factAttribute) ?? _rowSkip;

    /// <inheritdoc/>
    protected override void Initialize()
    {
        base.Initialize();
        Traits["Device"] = [DeviceName];
    }

    /// <inheritdoc/>
    protected override string GetUniqueID() => $"{base.GetUniqueID()}@{DeviceName}{(_notRun > 0 ? "/not-run" : "")}";

    /// <inheritdoc/>
    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus,
        object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        if (SkipReason != null)
            return await base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
        using (Device.Use(TestDevices.Open(DeviceName)))
            return await base.RunAsync(diagnosticMessageSink, messageBus, constructorArguments, aggregator, cancellationTokenSource);
    }

    /// <inheritdoc/>
    public override void Serialize(IXunitSerializationInfo data)
    {
        base.Serialize(data);
        data.AddValue("DeviceName", DeviceName);
        data.AddValue("RowSkip", _rowSkip);
        data.AddValue("NotRun", _notRun);
    }

    /// <inheritdoc/>
    public override void Deserialize(IXunitSerializationInfo data)
    {
        DeviceName = data.GetValue<string>("DeviceName");
        _rowSkip = data.GetValue<string>("RowSkip");
        _notRun = data.GetValue<int>("NotRun");
        base.Deserialize(data);
    }
}
