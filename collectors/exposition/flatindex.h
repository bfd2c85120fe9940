#pragma once

// An open-addressing multimap from 64-bit hashes to 32-bit values, for the parser's lookups
// (families by name, seen labelsets, seen names). clear() is O(1) and keeps the slots, so a
// reused parser stops allocating. Callers confirm matches themselves: equal hashes may differ.
// Owned by one Exposition; not thread-safe.

#include <cstdint>
#include <vector>

namespace fleetscope::exposition::detail {

class FlatIndex
{
public:
    void clear()
    {
        m_size = 0;
        if (++m_generation == 0) { // wrapped: forget every slot for real
            for (Slot &s : m_slots)
                s.generation = 0;
            m_generation = 1;
        }
    }

    void insert(std::uint64_t hash, std::uint32_t value)
    {
        if ((m_size + 1) * 2 > m_slots.size())
            grow();
        place(hash, value);
        ++m_size;
    }

    // Calls visit(value) for each entry with `hash` until it returns true; returns whether one did.
    template<typename Visit>
    bool find(std::uint64_t hash, Visit &&visit) const
    {
        if (m_slots.empty())
            return false;
        const std::size_t mask = m_slots.size() - 1;
        for (std::size_t i = std::size_t(hash) & mask;; i = (i + 1) & mask) {
            const Slot &s = m_slots[i];
            if (s.generation != m_generation)
                return false;
            if (s.hash == hash && visit(s.value))
                return true;
        }
    }

private:
    struct Slot
    {
        std::uint64_t hash = 0;
        std::uint32_t value = 0;
        std::uint32_t generation = 0;
    };

    void place(std::uint64_t hash, std::uint32_t value)
    {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t i = std::size_t(hash) & mask;
        while (m_slots[i].generation == m_generation)
            i = (i + 1) & mask;
        m_slots[i] = { hash, value, m_generation };
    }

    void grow()
    {
        std::vector<Slot> old;
        old.swap(m_slots);
        m_slots.assign(old.empty() ? 64 : old.size() * 2, Slot {});
        const std::uint32_t oldGeneration = m_generation;
        m_generation = 1;
        for (const Slot &s : old) {
            if (s.generation == oldGeneration)
                place(s.hash, s.value);
        }
    }

    std::vector<Slot> m_slots; // size is a power of two
    std::size_t m_size = 0;
    std::uint32_t m_generation = 1;
};

} // namespace fleetscope::exposition::detail
