using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Descent.Backends;

namespace Descent.Tests;

/// <summary>
/// A program that references Descent runs with .NET's default tiered compilation, which starts a method in
/// unoptimised tier-0 code (several times slower for a loop over elements) until it has run 30 times and the JIT
/// has caught up. So every CPU kernel loop asks to be compiled fully optimised on first call.
/// </summary>
public class KernelCompilationTests
{
    [Fact]
    public void Every_method_that_loops_in_the_cpu_backend_is_compiled_optimised_on_first_call()
    {
        var kernels = typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.Namespace == "Descent.Backends.Cpu" || t == typeof(Philox));
        var missing = kernels.SelectMany(DeclaredMethods)
            .Where(m => HasLoop(m) && !SkipsTier0(m))
            .Select(m => $"{m.DeclaringType!.FullName}::{m.Name}")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void The_loop_finder_tells_loops_from_straight_code()
    {
        Assert.True(HasLoop(typeof(KernelCompilationTests).GetMethod(nameof(Looping), BindingFlags.NonPublic | BindingFlags.Static)!));
        Assert.False(HasLoop(typeof(KernelCompilationTests).GetMethod(nameof(Straight), BindingFlags.NonPublic | BindingFlags.Static)!));
        Assert.False(SkipsTier0(typeof(KernelCompilationTests).GetMethod(nameof(Looping), BindingFlags.NonPublic | BindingFlags.Static)!));
    }

    private static int Looping(int n)
    {
        int sum = 0;
        for (int i = 0; i < n; i++) sum += i;
        return sum;
    }

    private static int Straight(int n) => n > 0 ? n : -n;

    // Lambdas compile to methods of nested closure types, which GetTypes lists too.
    private static IEnumerable<MethodBase> DeclaredMethods(Type t) =>
        t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Cast<MethodBase>()
            .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance));

    // An aggressively inlined helper runs inside its optimised caller.
    private static bool SkipsTier0(MethodBase m) =>
        (m.MethodImplementationFlags & (MethodImplAttributes.AggressiveOptimization | MethodImplAttributes.AggressiveInlining)) != 0;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(op => op.Value);

    /// <summary>Whether the method's IL branches backwards: a loop.</summary>
    private static bool HasLoop(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) return false;
        for (int i = 0; i < il.Length;)
        {
            int start = i;
            short value = il[i++];
            if (value == 0xFE) value = (short)(0xFE00 | il[i++]);
            switch (OpCodesByValue[value].OperandType)
            {
                case OperandType.ShortInlineBrTarget:
                    i += 1;
                    if (i + (sbyte)il[i - 1] <= start) return true;
                    break;
                case OperandType.InlineBrTarget:
                    i += 4;
                    if (i + BitConverter.ToInt32(il, i - 4) <= start) return true;
                    break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                default: i += 4; break;
            }
        }
        return false;
    }
}
