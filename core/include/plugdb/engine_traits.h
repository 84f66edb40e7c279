// What core knows about an engine: the capabilities, the Dialect and the SQL
// dialect. A plugin declares them (descriptor, Driver::dialect(),
// SqlDialectProvider); a connection may refine them once it knows its server.
//
// An extension interface (docs/writing-a-driver.md): a driver's Connection
// class may also inherit TraitsRefiner; core finds it with dynamic_cast on the
// first connection of a Database and uses the refined traits from then on
// (Database::has(), dialect(), info().sqlDialect, migrations). A bridge driver
// learns its quote character there; a MySQL driver learns that the server is
// MariaDB and has RETURNING.
#pragma once

#include <cstdint>
#include <optional>

#include "plugdb/driver.h"
#include "plugdb/sql_dialect.h"

namespace plugdb {

struct EngineTraits {
    std::uint64_t capabilities = 0;  // Capability bits
    Dialect dialect{};
    std::optional<SqlDialect> sql{};  // empty: the driver reports none (neutral default)
};

// Implemented by a Connection whose server decides some traits.
class TraitsRefiner {
public:
    virtual ~TraitsRefiner();
    // Called once, right after connecting, with the plugin's traits: add or
    // remove capability bits, change the dialect; leave the rest as it is.
    virtual void refine(EngineTraits& traits) = 0;
};

// The traits a plugin declares: its descriptor's capabilities, its Dialect
// and, when its Driver is a SqlDialectProvider, its SQL dialect.
EngineTraits declaredTraits(const Driver& driver, std::uint64_t capabilities);

// Lets `connection` refine `traits` when it is a TraitsRefiner; otherwise nothing changes.
void refineTraits(Connection& connection, EngineTraits& traits);

}  // namespace plugdb
