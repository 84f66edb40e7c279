// The engine migrations are read and translated for, from a database or a driver.
#include "plugdb/database.h"
#include "plugdb/engine_traits.h"
#include "plugdb/migrate.h"
#include "plugdb/registry.h"

namespace plugdb::migrate {

Target Target::of(const Database& db) {
    return {db.info().driver, db.info().sqlDialect, db.dialect().identifierQuote};
}

Target Target::of(const LoadedDriver& driver) {
    const EngineTraits traits = declaredTraits(*driver.driver, driver.info.capabilities);
    return {driver.info.name, traits.sql, traits.dialect.identifierQuote};
}

}  // namespace plugdb::migrate
