using CsCheck;

namespace Descent.Tests.Agreement;

internal static class GenExtensions
{
    /// <summary>Fluent form of <see cref="DeviceAgreement.ForAll{T}"/>.</summary>
    public static void ForAll<T>(this Gen<T> cases, Action<T> check, Func<T, string> print, int iterations = 200) =>
        DeviceAgreement.ForAll(cases, check, print, iterations);
}
