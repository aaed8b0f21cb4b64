using Xunit.Abstractions;
using Xunit.Sdk;

namespace Descent.Testing;

/// <summary>A theory whose data is read at run time (inside the device scope), run with <see cref="DeviceName"/> as the default device.</summary>
public sealed class DeviceTheoryTestCase : XunitTheoryTestCase, IDeviceTestCase
{
    /// <summary>For the deserializer.</summary>
    [Obsolete("Called by the deserializer only.")]
    public DeviceTheoryTestCase() => DeviceName = "";

    /// <summary>The theory <paramref name="testMethod"/> on <paramref name="deviceName"/>.</summary>
    public DeviceTheoryTestCase(string deviceName, IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(sink, display, options, testMethod) => DeviceName = deviceName;

    /// <inheritdoc/>
    public string DeviceName { get; private set; }

    /// <inheritdoc/>
    protected override string GetDisplayName(IAttributeInfo factAttribute, string displayName) =>
        $"{base.GetDisplayName(factAttribute, displayName)} [{DeviceName}]";

    /// <inheritdoc/>
    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        TestDevices.WhyAbsent(DeviceName) ?? TestDevices.SkippedOn(TestMethod, DeviceName) ?? base.GetSkipReason(factAttribute);

    /// <inheritdoc/>
    protected override void Initialize()
    {
        base.Initialize();
        Traits["Device"] = [DeviceName];
    }

    /// <inheritdoc/>
    protected override string GetUniqueID() => $"{base.GetUniqueID()}@{DeviceName}";

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
    }

    /// <inheritdoc/>
    public override void Deserialize(IXunitSerializationInfo data)
    {
        DeviceName = data.GetValue<string>("DeviceName");
        base.Deserialize(data);
    }
}
