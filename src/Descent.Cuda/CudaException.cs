namespace Descent.Cuda;

/// <summary>
/// A CUDA call failed: the message names the library call, the driver's (or NVRTC's, or cuBLAS's) error and the op
/// whose work was running, for example <c>cuLaunchKernel failed with CUDA_ERROR_ILLEGAL_ADDRESS (...) in Gather</c>.
/// Launches are asynchronous, so an error a kernel causes may surface at the next call that waits for the device.
/// </summary>
public sealed class CudaException : InvalidOperationException
{
    internal CudaException(int code, string error, string call, string op)
        : base($"CUDA: {call} failed with {error} in {op}.")
    {
        Code = code;
        Call = call;
        Op = op;
    }

    internal CudaException(string message) : base(message) => (Call, Op) = ("", "");

    /// <summary>The library's error code (CUresult, nvrtcResult or cublasStatus_t); 0 when the message says what went wrong.</summary>
    public int Code { get; }

    /// <summary>The library function that reported the error.</summary>
    public string Call { get; }

    /// <summary>The Descent op (primitive) that was running.</summary>
    public string Op { get; }
}
