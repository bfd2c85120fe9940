#pragma once

// Append-only storage for strings decoded out of an exposition (unescaped label values and HELP
// texts). Pointers stay valid until clear(); clear() keeps the blocks so reuse stops allocating.
// Owned by one Exposition; not thread-safe.

#include <algorithm>
#include <cstddef>
#include <memory>
#include <vector>

namespace fleetscope::exposition {

class StringArena
{
public:
    char *allocate(std::size_t size)
    {
        while (m_current < m_blocks.size()) {
            Block &b = m_blocks[m_current];
            if (b.size - m_used >= size) {
                char *p = b.data.get() + m_used;
                m_used += size;
                return p;
            }
            ++m_current;
            m_used = 0;
        }
        const std::size_t blockSize = std::max(size, kBlockSize);
        m_blocks.push_back({ std::make_unique<char[]>(blockSize), blockSize });
        m_current = m_blocks.size() - 1;
        m_used = size;
        return m_blocks.back().data.get();
    }

    void clear()
    {
        m_current = 0;
        m_used = 0;
    }

    std::size_t bytesReserved() const
    {
        std::size_t total = 0;
        for (const Block &b : m_blocks)
            total += b.size;
        return total;
    }

private:
    static constexpr std::size_t kBlockSize = 64 * 1024;
    struct Block
    {
        std::unique_ptr<char[]> data;
        std::size_t size = 0;
    };
    std::vector<Block> m_blocks;
    std::size_t m_current = 0;
    std::size_t m_used = 0;
};

} // namespace fleetscope::exposition
