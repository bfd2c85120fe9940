#pragma once

// NodeCollectable: one node's model behind a mutex, exposed to prometheus-cpp as a Collectable.
// The simulation thread advances it; Exposer threads and fault servers collect from it
// concurrently. Shared ownership (std::shared_ptr): the Exposer only holds a weak_ptr.

#include "nodemodel.h"

#include <prometheus/collectable.h>

#include <mutex>
#include <string>

namespace fleetscope::sim {

class NodeCollectable : public prometheus::Collectable
{
public:
    NodeCollectable(const NodeSpec &spec, double startTime)
        : m_model(spec, startTime)
    { }

    std::vector<prometheus::MetricFamily> Collect() const override
    {
        std::lock_guard lock(m_mutex);
        return m_model.collect();
    }

    // The node's families in the Prometheus text format 0.0.4 (prometheus::TextSerializer).
    std::string serialize() const;

    void advanceTo(double time)
    {
        std::lock_guard lock(m_mutex);
        m_model.advanceTo(time);
    }
    void restart()
    {
        std::lock_guard lock(m_mutex);
        m_model.restart();
    }
    NodeModel::Totals totals() const
    {
        std::lock_guard lock(m_mutex);
        return m_model.totals();
    }
    // Immutable after construction, so no lock.
    const NodeSpec &spec() const { return m_model.spec(); }

private:
    mutable std::mutex m_mutex;
    NodeModel m_model;
};

} // namespace fleetscope::sim
