#include "driver.h"

#include "connection.h"
#include "settings.h"
#include "store.h"

namespace plugdb::rocks {

// Unused (prepare refuses SQL), but every driver has one.
const Dialect& RocksDriver::dialect() const {
    static const Dialect kDialect{Dialect::Placeholders::Question, '"'};
    return kDialect;
}

const DriverOptions& RocksDriver::driverOptions() const {
    return declaredDriverOptions();
}

std::unique_ptr<Connection> RocksDriver::connect(const DataSource& source) {
    const Settings settings = settingsFor(source);
    return std::make_unique<RocksConnection>(Store::acquire(settings), settings);
}

}  // namespace plugdb::rocks
