#include "allocationcounter.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <malloc.h>
#include <new>

// Replacing the global operator new in the executable interposes it for the static parser library
// and for libstdc++ alike, so every std::vector/std::string growth in a parse is seen. malloc()
// called directly (Qt containers) is not counted: the parser is std-only on its hot path.
// Live bytes use malloc_usable_size() so that unsized and sized deletes subtract the same amount.

namespace {

std::atomic<std::uint64_t> s_count { 0 };
std::atomic<std::uint64_t> s_bytes { 0 };
std::atomic<std::int64_t> s_liveBytes { 0 };

void *record(void *p, std::size_t size)
{
    if (p) {
        s_count.fetch_add(1, std::memory_order_relaxed);
        s_bytes.fetch_add(size, std::memory_order_relaxed);
        s_liveBytes.fetch_add(static_cast<std::int64_t>(malloc_usable_size(p)),
                              std::memory_order_relaxed);
    }
    return p;
}

void release(void *p) noexcept
{
    if (p) {
        s_liveBytes.fetch_sub(static_cast<std::int64_t>(malloc_usable_size(p)),
                              std::memory_order_relaxed);
        std::free(p);
    }
}

void *allocate(std::size_t size)
{
    if (void *p = record(std::malloc(size ? size : 1), size))
        return p;
    throw std::bad_alloc();
}

void *allocateAligned(std::size_t size, std::align_val_t align)
{
    void *p = nullptr;
    const auto a = std::max(static_cast<std::size_t>(align), sizeof(void *));
    if (posix_memalign(&p, a, size ? size : 1) != 0)
        throw std::bad_alloc();
    return record(p, size);
}

} // namespace

namespace fleetscope::bench {

AllocationStats allocationStats()
{
    return { s_count.load(std::memory_order_relaxed), s_bytes.load(std::memory_order_relaxed),
             s_liveBytes.load(std::memory_order_relaxed) };
}

} // namespace fleetscope::bench

void *operator new(std::size_t size)
{
    return allocate(size);
}
void *operator new[](std::size_t size)
{
    return allocate(size);
}
void *operator new(std::size_t size, const std::nothrow_t &) noexcept
{
    return record(std::malloc(size ? size : 1), size);
}
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
    return record(std::malloc(size ? size : 1), size);
}
void *operator new(std::size_t size, std::align_val_t align)
{
    return allocateAligned(size, align);
}
void *operator new[](std::size_t size, std::align_val_t align)
{
    return allocateAligned(size, align);
}
void *operator new(std::size_t size, std::align_val_t align, const std::nothrow_t &) noexcept
{
    try {
        return allocateAligned(size, align);
    } catch (...) {
        return nullptr;
    }
}
void *operator new[](std::size_t size, std::align_val_t align, const std::nothrow_t &) noexcept
{
    try {
        return allocateAligned(size, align);
    } catch (...) {
        return nullptr;
    }
}

void operator delete(void *p) noexcept
{
    release(p);
}
void operator delete[](void *p) noexcept
{
    release(p);
}
void operator delete(void *p, std::size_t) noexcept
{
    release(p);
}
void operator delete[](void *p, std::size_t) noexcept
{
    release(p);
}
void operator delete(void *p, const std::nothrow_t &) noexcept
{
    release(p);
}
void operator delete[](void *p, const std::nothrow_t &) noexcept
{
    release(p);
}
void operator delete(void *p, std::align_val_t) noexcept
{
    release(p);
}
void operator delete[](void *p, std::align_val_t) noexcept
{
    release(p);
}
void operator delete(void *p, std::size_t, std::align_val_t) noexcept
{
    release(p);
}
void operator delete[](void *p, std::size_t, std::align_val_t) noexcept
{
    release(p);
}
void operator delete(void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
    release(p);
}
void operator delete[](void *p, std::align_val_t, const std::nothrow_t &) noexcept
{
    release(p);
}
