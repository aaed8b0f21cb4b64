using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Descent.Testing;

/// <summary>
/// xunit's own framework, except that each test of an <see cref="OnEveryDeviceAttribute"/> class is
/// discovered once per device of <see cref="TestDevices.Names"/> (display name suffix "[device]",
/// trait Device=device), so <c>dotnet test --filter Device=reference</c> runs one device's suite.
/// For a device that cannot be opened here, each class reports one skipped entry that counts the tests
/// it stands for and says why, instead of a skipped copy of every test.
/// </summary>
public sealed class DeviceTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <inheritdoc/>
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider source, IMessageSink sink)
        : XunitTestFrameworkDiscoverer(assembly, source, sink)
    {
        protected override bool FindTestsForType(ITestClass testClass, bool includeSourceInformation,
            IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            if (testClass.Class.ToRuntimeType()?.GetCustomAttribute<OnEveryDeviceAttribute>() == null)
                return base.FindTestsForType(testClass, includeSourceInformation, messageBus, discoveryOptions);

            var display = discoveryOptions.MethodDisplayOrDefault();
            var options = discoveryOptions.MethodDisplayOptionsOrDefault();
            var notRun = TestDevices.Names.Where(d => TestDevices.WhyAbsent(d) != null).ToDictionary(d => d, _ => 0);
            ITestMethod? first = null;
            foreach (var method in testClass.Class.GetMethods(true))
            {
                var testMethod = new TestMethod(testClass, method);
                var attribute = method.GetCustomAttributes(typeof(FactAttribute)).FirstOrDefault();
                if (attribute == null) continue;
                first ??= testMethod;
                var isTheory = attribute.GetCustomAttributes(typeof(XunitTestCaseDiscovererAttribute))
                    .Any(d => d.GetConstructorArguments().FirstOrDefault() as string == typeof(TheoryDiscoverer).FullName);
                IXunitTestCaseDiscoverer discoverer = isTheory ? new TheoryDiscoverer(DiagnosticMessageSink) : new FactDiscoverer(DiagnosticMessageSink);
                foreach (var testCase in discoverer.Discover(discoveryOptions, testMethod, attribute))
                {
                    if (!IsPlain(testCase))
                    {
                        // Discovery errors (ExecutionErrorTestCase and the like) are reported once, not per device.
                        if (!ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus)) return false;
                        continue;
                    }
                    foreach (var device in TestDevices.Names)
                    {
                        if (notRun.TryGetValue(device, out int count))
                        {
                            notRun[device] = count + 1;
                            continue;
                        }
                        IXunitTestCase perDevice = testCase is XunitTheoryTestCase
                            ? new DeviceTheoryTestCase(device, DiagnosticMessageSink, display, options, testMethod)
                            : new DeviceTestCase(device, DiagnosticMessageSink, display, options, testMethod, testCase.TestMethodArguments,
                                testCase is XunitSkippedDataRowTestCase ? testCase.SkipReason : null);
                        if (!ReportDiscoveredTestCase(perDevice, includeSourceInformation, messageBus)) return false;
                    }
                }
            }
            foreach (var (device, count) in notRun)
                if (first != null && count > 0 &&
                    !ReportDiscoveredTestCase(DeviceTestCase.NotRun(device, count, DiagnosticMessageSink, display, options, first), includeSourceInformation, messageBus))
                    return false;
            return true;
        }

        private static bool IsPlain(IXunitTestCase testCase) =>
            testCase.GetType() == typeof(XunitTestCase) || testCase.GetType() == typeof(XunitTheoryTestCase)
            || testCase.GetType() == typeof(XunitSkippedDataRowTestCase);
    }
}
