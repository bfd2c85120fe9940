#include "nodecollectable.h"

#include <prometheus/text_serializer.h>

namespace fleetscope::sim {

std::string NodeCollectable::serialize() const
{
    return prometheus::TextSerializer().Serialize(Collect());
}

} // namespace fleetscope::sim
