// The runtime of the CUDA emulation (see cuda_emulation.h): runs a kernel's grid on the calling OS thread, each CUDA
// thread of a block as a fiber when the kernel has barriers. Built once per cache folder and shared by every kernel
// library, so the fiber stacks exist once per OS thread rather than once per kernel.
//
// Fibers switch with a few instructions of our own (x86-64 System V: the callee-saved registers, the SSE and x87
// control words, the stack pointer) rather than swapcontext, which makes a system call per switch for the signal
// mask: a 256-thread block reduction took 2.5 ms that way.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cstdint>

struct uint3 { unsigned x, y, z; };
struct dim3 { unsigned x, y, z; };

#define EXPORT extern "C" __attribute__((visibility("default")))

// Definitions: the braced form, since `extern "C" T x;` alone would only declare them.
#define VISIBLE __attribute__((visibility("default")))
extern "C" {
VISIBLE thread_local uint3 emu_thread_index;
VISIBLE thread_local uint3 emu_block_index;
VISIBLE thread_local dim3 emu_block_dim;
VISIBLE thread_local dim3 emu_grid_dim;
VISIBLE thread_local unsigned char* emu_dynamic_shared;
VISIBLE thread_local unsigned long long emu_warp_slots[1024];
}

namespace {

enum State { Ready, AtBlockBarrier, AtWarpBarrier, Done, Abandoned };

struct Fiber { void* stack_pointer; State state; };

// Saves the callee-saved state on the current stack, stores the stack pointer in *from, and resumes the fiber whose
// stack pointer is to (saved the same way, or prepared by start_fiber).
extern "C" void emu_switch(void** from, void* to);
asm(R"(
    .text
    .p2align 4
    .type emu_switch, @function
emu_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    subq $8, %rsp
    stmxcsr (%rsp)
    fnstcw 4(%rsp)
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    ldmxcsr (%rsp)
    fldcw 4(%rsp)
    addq $8, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_switch, .-emu_switch
)");

constexpr int MaxThreads = 1024;
constexpr size_t StackBytes = 64 * 1024;

thread_local Fiber* fibers;
thread_local unsigned char* stacks;
thread_local void* scheduler;
thread_local int current;
thread_local bool direct;
thread_local bool barrier_misuse;
thread_local void (*body)(void*);
thread_local void* body_state;
thread_local unsigned char* shared_buffer;
thread_local unsigned shared_capacity;
thread_local char error[512];

[[noreturn]] void fiber_entry()
{
    body(body_state);
    fibers[current].state = Done;
    emu_switch(&fibers[current].stack_pointer, scheduler);
    __builtin_unreachable();
}

// A stack whose first switch "returns" into fiber_entry, as if fiber_entry had been called (rsp = 8 mod 16 there).
void* start_fiber(unsigned char* stack)
{
    auto top = (uintptr_t)(stack + StackBytes) & ~(uintptr_t)15;
    auto* slot = (uint64_t*)top;
    *--slot = 0;                          // where fiber_entry's own return address would be
    *--slot = (uint64_t)&fiber_entry;     // emu_switch's ret goes here
    for (int r = 0; r < 6; r++) *--slot = 0; // rbp, rbx, r12 to r15
    uint32_t control[2];
    asm volatile("stmxcsr %0" : "=m"(control[0]));
    asm volatile("fnstcw %0" : "=m"(control[1]));
    --slot;
    memcpy(slot, control, 8);
    return slot;
}

// Opens the barriers every live thread has reached: the block's when all of them wait there, a warp's when all of
// its live threads wait at a warp barrier. Returns whether any thread became ready.
bool open_barriers(int threads)
{
    bool all_block = true;
    int live = 0;
    for (int i = 0; i < threads; i++)
    {
        if (fibers[i].state == Done) continue;
        live++;
        if (fibers[i].state != AtBlockBarrier) all_block = false;
    }
    if (live == 0) return false;
    if (all_block)
    {
        for (int i = 0; i < threads; i++) if (fibers[i].state == AtBlockBarrier) fibers[i].state = Ready;
        return true;
    }
    bool any = false;
    for (int w = 0; w < threads; w += 32)
    {
        int end = w + 32 < threads ? w + 32 : threads;
        bool all_warp = true, some = false;
        for (int i = w; i < end; i++)
        {
            if (fibers[i].state == Done) continue;
            some = true;
            if (fibers[i].state != AtWarpBarrier) all_warp = false;
        }
        if (some && all_warp)
        {
            for (int i = w; i < end; i++) if (fibers[i].state == AtWarpBarrier) fibers[i].state = Ready;
            any = true;
        }
    }
    return any;
}

// Runs one block; false (with the error set) when its threads deadlock at barriers.
bool run_block_with_fibers(int threads)
{
    if (!fibers)
    {
        fibers = new Fiber[MaxThreads];
        stacks = (unsigned char*)malloc(StackBytes * MaxThreads);
    }
    for (int i = 0; i < threads; i++)
    {
        fibers[i].stack_pointer = start_fiber(stacks + StackBytes * i);
        fibers[i].state = Ready;
    }
    for (;;)
    {
        bool ran = false;
        for (int i = 0; i < threads; i++)
        {
            if (fibers[i].state != Ready) continue;
            current = i;
            emu_thread_index = uint3{(unsigned)i, 0, 0};
            emu_switch(&scheduler, fibers[i].stack_pointer);
            ran = true;
        }
        if (ran) continue;
        if (open_barriers(threads)) continue;
        for (int i = 0; i < threads; i++)
            if (fibers[i].state != Done)
            {
                snprintf(error, sizeof error, "deadlock in block (%u, %u, %u): thread %d waits at a %s barrier that not every live thread of its %s reaches",
                    emu_block_index.x, emu_block_index.y, emu_block_index.z, i,
                    fibers[i].state == AtBlockBarrier ? "block" : "warp", fibers[i].state == AtBlockBarrier ? "block" : "warp");
                return false;
            }
        return true;
    }
}

} // namespace

// Makes the calling CUDA thread wait at the block's barrier (warp = 0) or its warp's (warp = 1).
EXPORT void emu_barrier(int warp)
{
    if (direct)
    {
        // A kernel the compiler saw no barrier in: cannot suspend a plain call, so the launch fails afterwards.
        barrier_misuse = true;
        return;
    }
    fibers[current].state = warp ? AtWarpBarrier : AtBlockBarrier;
    emu_switch(&fibers[current].stack_pointer, scheduler);
}

// Runs the grid. Returns null, or what went wrong.
EXPORT const char* emu_run(unsigned gx, unsigned gy, unsigned gz, unsigned threads, unsigned shared_bytes, int barriers,
    void (*kernel)(void*), void* state)
{
    if (threads == 0 || threads > MaxThreads) return "a block of 0 or more than 1024 threads";
    if (gx == 0 || gy == 0 || gz == 0) return "an empty grid";
    if (shared_bytes > shared_capacity)
    {
        free(shared_buffer);
        shared_buffer = (unsigned char*)malloc(shared_bytes);
        shared_capacity = shared_bytes;
    }
    emu_dynamic_shared = shared_buffer;
    emu_grid_dim = dim3{gx, gy, gz};
    emu_block_dim = dim3{threads, 1, 1};
    body = kernel;
    body_state = state;
    direct = !barriers;
    barrier_misuse = false;
    for (unsigned z = 0; z < gz; z++)
        for (unsigned y = 0; y < gy; y++)
            for (unsigned x = 0; x < gx; x++)
            {
                emu_block_index = uint3{x, y, z};
                if (barriers)
                {
                    if (!run_block_with_fibers((int)threads)) return error;
                    continue;
                }
                for (unsigned t = 0; t < threads; t++)
                {
                    emu_thread_index = uint3{t, 0, 0};
                    kernel(state);
                }
            }
    return barrier_misuse ? "a barrier in a kernel launched without fibers" : nullptr;
}
