#include "plugdb/engine_traits.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
TraitsRefiner::~TraitsRefiner() = default;

EngineTraits declaredTraits(const Driver& driver, std::uint64_t capabilities) {
    EngineTraits traits;
    traits.capabilities = capabilities;
    traits.dialect = driver.dialect();
    if (const auto* provider = dynamic_cast<const SqlDialectProvider*>(&driver))
        traits.sql = provider->sqlDialect();
    return traits;
}

void refineTraits(Connection& connection, EngineTraits& traits) {
    if (auto* refiner = dynamic_cast<TraitsRefiner*>(&connection)) refiner->refine(traits);
}

}  // namespace plugdb
