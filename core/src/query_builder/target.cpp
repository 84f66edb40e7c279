#include "target.h"

#include "../database_core.h"
#include "plugdb/database.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
QueryDialectProvider::~QueryDialectProvider() = default;

namespace {

const QueryDialect& queryDialectOf(const Driver& driver) {
    static const QueryDialect kNeutral{};
    if (const auto* provider = dynamic_cast<const QueryDialectProvider*>(&driver))
        return provider->queryDialect();
    return kNeutral;
}

}  // namespace

const QueryDialect& Database::queryDialect() const {
    return queryDialectOf(core_->driver());
}

namespace sql {

Target Target::of(const Database& db) {
    return Target{db.dialect(), db.info().capabilities, db.queryDialect()};
}

Target Target::of(const LoadedDriver& driver) {
    return Target{driver.driver->dialect(), driver.info.capabilities,
                  queryDialectOf(*driver.driver)};
}

Target Target::forDriver(const std::string& name, const std::vector<std::string>& searchPath) {
    return of(DriverRegistry::instance().load(name, searchPath));
}

namespace detail {

Target targetOf(const plugdb::detail::DatabaseCore& core) {
    return Target{core.dialect(), core.info().capabilities, queryDialectOf(core.driver())};
}

}  // namespace detail
}  // namespace sql
}  // namespace plugdb
