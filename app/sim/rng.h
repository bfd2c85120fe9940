#pragma once

// Rng: the simulator's deterministic random source (xoshiro256** seeded through splitmix64) and
// the few distributions the model draws from. Written out here, not taken from <random>, so one
// --seed gives the same fleet with every standard library. A plain value; not thread-safe.

#include <cmath>
#include <cstdint>

namespace fleetscope::sim {

class Rng
{
public:
    explicit Rng(std::uint64_t seed)
    {
        for (auto &word : m_state)
            word = splitMix(seed);
    }

    // Mixes several integers into one seed, so every node gets its own stream.
    static std::uint64_t mix(std::uint64_t a, std::uint64_t b)
    {
        std::uint64_t x = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
        return splitMix(x);
    }

    std::uint64_t next()
    {
        const std::uint64_t result = rotl(m_state[1] * 5, 7) * 9;
        const std::uint64_t t = m_state[1] << 17;
        m_state[2] ^= m_state[0];
        m_state[3] ^= m_state[1];
        m_state[1] ^= m_state[2];
        m_state[0] ^= m_state[3];
        m_state[2] ^= t;
        m_state[3] = rotl(m_state[3], 45);
        return result;
    }

    // Uniform in [0, 1).
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    bool chance(double p) { return uniform() < p; }

    // Standard normal (Box-Muller; the second value of each pair is kept for the next call).
    double normal()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        double u = 0;
        do {
            u = uniform();
        } while (u <= 0);
        const double v = uniform();
        const double r = std::sqrt(-2.0 * std::log(u));
        m_spare = r * std::sin(2.0 * M_PI * v);
        m_hasSpare = true;
        return r * std::cos(2.0 * M_PI * v);
    }

    // Log-normal given its median and the sigma of the underlying normal.
    double logNormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

    std::uint64_t poisson(double mean)
    {
        if (!(mean > 0))
            return 0;
        if (mean < 30) {
            const double limit = std::exp(-mean);
            std::uint64_t k = 0;
            double p = uniform();
            while (p > limit) {
                ++k;
                p *= uniform();
            }
            return k;
        }
        const double x = std::round(mean + std::sqrt(mean) * normal());
        return x < 0 ? 0 : std::uint64_t(x);
    }

    std::uint64_t binomial(std::uint64_t n, double p)
    {
        if (n == 0 || p <= 0)
            return 0;
        if (p >= 1)
            return n;
        if (n < 40) {
            std::uint64_t k = 0;
            for (std::uint64_t i = 0; i < n; ++i)
                k += chance(p) ? 1 : 0;
            return k;
        }
        const double mean = double(n) * p;
        const double x = std::round(mean + std::sqrt(mean * (1 - p)) * normal());
        if (x < 0)
            return 0;
        return x > double(n) ? n : std::uint64_t(x);
    }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static std::uint64_t splitMix(std::uint64_t &x)
    {
        std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    static std::uint64_t splitMix(std::uint64_t &&x) { return splitMix(x); }

    std::uint64_t m_state[4] = {};
    double m_spare = 0;
    bool m_hasSpare = false;
};

} // namespace fleetscope::sim
