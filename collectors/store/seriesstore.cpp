#include "store/seriesstore.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace fleetscope::store {

namespace {

// A vector used as a queue: points are appended at the back and trimmed from the front; the
// dead front is reclaimed when it outgrows the live part, so trimming stays amortised O(1).
struct PointQueue
{
    std::vector<Point> points;
    std::size_t start = 0;

    std::size_t size() const { return points.size() - start; }
    bool empty() const { return size() == 0; }
    const Point &front() const { return points[start]; }
    const Point &back() const { return points.back(); }
    Point &back() { return points.back(); }
    void push(const Point &p) { points.push_back(p); }
    void popFront()
    {
        ++start;
        if (start > 32 && start * 2 > points.size()) {
            points.erase(points.begin(), points.begin() + std::ptrdiff_t(start));
            start = 0;
        }
    }
    std::size_t capacityBytes() const { return points.capacity() * sizeof(Point); }
    template<typename F>
    void forEach(double from, double to, F &&f) const
    {
        for (std::size_t i = start; i < points.size(); ++i) {
            if (points[i].t >= from && points[i].t <= to)
                f(points[i]);
        }
    }
};

// Keeps the last value of each `step` window.
void pushStepped(PointQueue &q, const Point &p, double step)
{
    if (!q.empty() && std::floor(q.back().t / step) == std::floor(p.t / step))
        q.back() = p;
    else
        q.push(p);
}

constexpr std::size_t kIndexEntryBytes = 64; // hash node, bucket and key view, roughly

} // namespace

struct SeriesStore::Series_
{
    std::string key;
    PointQueue raw, coarse, coarsest;
    double lastUpdate = -std::numeric_limits<double>::infinity();
    double lastT = -std::numeric_limits<double>::infinity();
};

struct SeriesStore::Index
{
    std::unordered_map<std::string_view, Id> byKey; // views into Series_::key
};

SeriesStore::SeriesStore(StoreOptions options)
    : m_options(options)
    , m_index(std::make_unique<Index>())
{ }

SeriesStore::~SeriesStore() = default;

std::size_t SeriesStore::bytesOf(const Series_ &s) const
{
    return sizeof(Series_) + sizeof(void *) + s.key.capacity() + s.raw.capacityBytes()
        + s.coarse.capacityBytes() + s.coarsest.capacityBytes() + kIndexEntryBytes;
}

SeriesStore::Id SeriesStore::find(std::string_view key) const
{
    const auto it = m_index->byKey.find(key);
    return it == m_index->byKey.end() ? kNoSeries : it->second;
}

const std::string &SeriesStore::key(Id id) const
{
    static const std::string none;
    return id < m_series.size() && m_series[id] ? m_series[id]->key : none;
}

SeriesStore::Id SeriesStore::intern(std::string_view key)
{
    if (const Id id = find(key); id != kNoSeries)
        return id;
    auto s = std::make_unique<Series_>();
    s->key.assign(key);
    const std::size_t bytes = bytesOf(*s);
    if (m_bytes + bytes > m_options.memoryBudgetBytes) {
        enforceBudget(kNoSeries);
        if (m_bytes + bytes > m_options.memoryBudgetBytes) {
            ++m_counters.refused;
            return kNoSeries;
        }
    }
    Id id;
    if (!m_free.empty()) {
        id = m_free.back();
        m_free.pop_back();
        m_series[id] = std::move(s);
    } else {
        id = Id(m_series.size());
        m_series.push_back(std::move(s));
    }
    m_index->byKey.emplace(std::string_view(m_series[id]->key), id);
    m_bytes += bytes;
    return id;
}

void SeriesStore::fold(Series_ &s)
{
    const double now = s.lastT;
    while (!s.raw.empty() && s.raw.front().t < now - m_options.rawRetentionSeconds) {
        pushStepped(s.coarse, s.raw.front(), m_options.coarseStepSeconds);
        s.raw.popFront();
    }
    while (!s.coarse.empty() && s.coarse.front().t < now - m_options.coarseRetentionSeconds) {
        pushStepped(s.coarsest, s.coarse.front(), m_options.coarsestStepSeconds);
        s.coarse.popFront();
    }
    while (!s.coarsest.empty() && s.coarsest.front().t < now - m_options.retentionSeconds)
        s.coarsest.popFront();
}

void SeriesStore::append(Id id, double t, double v)
{
    if (id >= m_series.size() || !m_series[id] || !std::isfinite(t))
        return;
    Series_ &s = *m_series[id];
    if (t <= s.lastT)
        return;
    const std::size_t before = bytesOf(s);
    s.raw.push({ t, v });
    s.lastT = t;
    s.lastUpdate = t;
    fold(s);
    const std::size_t after = bytesOf(s);
    m_bytes = m_bytes + after - before;
    if (after > before && m_bytes > m_options.memoryBudgetBytes)
        enforceBudget(id);
}

void SeriesStore::drop(Id id)
{
    Series_ &s = *m_series[id];
    m_bytes -= bytesOf(s);
    m_index->byKey.erase(std::string_view(s.key));
    m_series[id].reset();
    m_free.push_back(id);
}

void SeriesStore::enforceBudget(Id keep)
{
    while (m_bytes > m_options.memoryBudgetBytes) {
        Id victim = kNoSeries;
        double oldest = std::numeric_limits<double>::infinity();
        for (Id i = 0; i < m_series.size(); ++i) {
            if (i != keep && m_series[i] && m_series[i]->lastUpdate < oldest) {
                oldest = m_series[i]->lastUpdate;
                victim = i;
            }
        }
        if (victim == kNoSeries)
            return;
        drop(victim);
        ++m_counters.evictedForBudget;
    }
}

std::size_t SeriesStore::evictStale(double now)
{
    std::size_t dropped = 0;
    for (Id i = 0; i < m_series.size(); ++i) {
        if (!m_series[i])
            continue;
        Series_ &s = *m_series[i];
        if (s.lastUpdate < now - m_options.staleAfterSeconds) {
            drop(i);
            ++dropped;
            continue;
        }
        const std::size_t before = bytesOf(s);
        while (!s.coarsest.empty() && s.coarsest.front().t < now - m_options.retentionSeconds)
            s.coarsest.popFront();
        m_bytes = m_bytes + bytesOf(s) - before;
    }
    m_counters.evictedStale += dropped;
    return dropped;
}

Series SeriesStore::query(Id id, double from, double to) const
{
    Series out;
    if (id >= m_series.size() || !m_series[id])
        return out;
    const Series_ &s = *m_series[id];
    out.reserve(s.raw.size() + s.coarse.size() + s.coarsest.size());
    auto add = [&](const Point &p) {
        out.push_back(p);
    };
    s.coarsest.forEach(from, to, add);
    s.coarse.forEach(from, to, add);
    s.raw.forEach(from, to, add);
    return out;
}

Series SeriesStore::query(std::string_view key, double from, double to) const
{
    return query(find(key), from, to);
}

const Point *SeriesStore::last(Id id) const
{
    if (id >= m_series.size() || !m_series[id])
        return nullptr;
    const Series_ &s = *m_series[id];
    if (!s.raw.empty())
        return &s.raw.back();
    if (!s.coarse.empty())
        return &s.coarse.back();
    if (!s.coarsest.empty())
        return &s.coarsest.back();
    return nullptr;
}

std::vector<std::string> SeriesStore::keysWithPrefix(std::string_view prefix) const
{
    std::vector<std::string> keys;
    for (const auto &s : m_series) {
        if (s && s->key.compare(0, prefix.size(), prefix) == 0)
            keys.push_back(s->key);
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

StoreStats SeriesStore::stats() const
{
    StoreStats st = m_counters;
    st.series = 0;
    st.points = 0;
    for (const auto &s : m_series) {
        if (!s)
            continue;
        ++st.series;
        st.points += s->raw.size() + s->coarse.size() + s->coarsest.size();
    }
    st.bytes = m_bytes + m_series.capacity() * sizeof(void *) + m_free.capacity() * sizeof(Id);
    return st;
}

} // namespace fleetscope::store
