using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Descent.Testing;

/// <summary>
/// xunit's own framework, except that each test of an <see cref="OnEveryDeviceAttribute"/> class is
/// discovered once per device of <see cref="TestDevices.Names"/> (display name suffix "[device]",
/// trait Device=device), so <c>dotnet test --filter Device=reference</c> runs one device's suite.
/// </summary>
public sealed class DeviceTestFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <inheritdoc/>
    protected override ITestFrameworkDiscoverer CreateDiscoverer(IAssemblyInfo assemblyInfo) =>
        new Discoverer(assemblyInfo, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Discoverer(IAssemblyInfo assembly, ISourceInformationProvider source, IMessageSink sink)
        : XunitTestFrameworkDiscoverer(assembly, source, sink)
    {
        protected override bool FindTestsForMethod(ITestMethod testMethod, bool includeSourceInformation,
            IMessageBus messageBus, ITestFrameworkDiscoveryOptions discoveryOptions)
        {
            var type = testMethod.TestClass.Class.ToRuntimeType();
            var attribute = testMethod.Method.GetCustomAttributes(typeof(FactAttribute)).FirstOrDefault();
            if (attribute == null || type?.GetCustomAttribute<OnEveryDeviceAttribute>() == null)
                return base.FindTestsForMethod(testMethod, includeSourceInformation, messageBus, discoveryOptions);

            var isTheory = attribute.GetCustomAttributes(typeof(XunitTestCaseDiscovererAttribute))
                .Any(d => d.GetConstructorArguments().FirstOrDefault() as string == typeof(TheoryDiscoverer).FullName);
            IXunitTestCaseDiscoverer discoverer = isTheory ? new TheoryDiscoverer(DiagnosticMessageSink) : new FactDiscoverer(DiagnosticMessageSink);
            var found = discoverer.Discover(discoveryOptions, testMethod, attribute).ToList();
            var display = discoveryOptions.MethodDisplayOrDefault();
            var options = discoveryOptions.MethodDisplayOptionsOrDefault();
            // Discovery errors (ExecutionErrorTestCase and the like) are reported once, not per device.
            foreach (var testCase in found.Where(c => !IsPlain(c)))
                if (!ReportDiscoveredTestCase(testCase, includeSourceInformation, messageBus)) return false;
            foreach (var device in TestDevices.Names)
                foreach (var testCase in found.Where(IsPlain))
                {
                    IXunitTestCase perDevice = testCase is XunitTheoryTestCase
                        ? new DeviceTheoryTestCase(device, DiagnosticMessageSink, display, options, testMethod)
                        : new DeviceTestCase(device, DiagnosticMessageSink, display, options, testMethod, testCase.TestMethodArguments,
                            testCase is XunitSkippedDataRowTestCase ? testCase.SkipReason : null);
                    if (!ReportDiscoveredTestCase(perDevice, includeSourceInformation, messageBus)) return false;
                }
            return true;
        }

        private static bool IsPlain(IXunitTestCase testCase) =>
            testCase.GetType() == typeof(XunitTestCase) || testCase.GetType() == typeof(XunitTheoryTestCase)
            || testCase.GetType() == typeof(XunitSkippedDataRowTestCase);
    }
}
