// The runtime of the CUDA emulation (see cuda_emulation.h): runs a kernel's grid on the calling OS thread, each CUDA
// thread of a block as a fiber when the kernel has barriers. Built once per cache folder and shared by every kernel
// library, so the fiber stacks exist once per OS thread rather than once per kernel.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ucontext.h>

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

struct Fiber { ucontext_t context; State state; };

constexpr int MaxThreads = 1024;
constexpr size_t StackBytes = 64 * 1024;

thread_local Fiber* fibers;
thread_local unsigned char* stacks;
thread_local ucontext_t scheduler;
thread_local int current;
thread_local bool direct;
thread_local bool barrier_misuse;
thread_local void (*body)(void*);
thread_local void* body_state;
thread_local unsigned char* shared_buffer;
thread_local unsigned shared_capacity;
thread_local char error[512];

void fiber_entry()
{
    body(body_state);
    fibers[current].state = Done;
    // uc_link returns to the scheduler.
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
        getcontext(&fibers[i].context);
        fibers[i].context.uc_stack.ss_sp = stacks + StackBytes * i;
        fibers[i].context.uc_stack.ss_size = StackBytes;
        fibers[i].context.uc_link = &scheduler;
        makecontext(&fibers[i].context, fiber_entry, 0);
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
            swapcontext(&scheduler, &fibers[i].context);
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
    swapcontext(&fibers[current].context, &scheduler);
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
