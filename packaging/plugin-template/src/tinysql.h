// tinysql: an example plugdb driver that stores data with SQLite, written
// against the public SDK only. Copy it as the start of your own driver.
#pragma once

#include <sqlite3.h>

#include <memory>

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/sql_dialect.h"

namespace tinysql {

// The Driver, plus two optional extension interfaces core finds at run time:
// the SQL dialect for portable migrations, and the options core checks.
class TinyDriver final : public plugdb::Driver,
                         public plugdb::SqlDialectProvider,
                         public plugdb::DriverOptionsProvider {
public:
    const plugdb::Dialect& dialect() const override;
    const plugdb::SqlDialect& sqlDialect() const override;
    const plugdb::DriverOptions& driverOptions() const override;  // busy_timeout
    // source.database is the file.
    std::unique_ptr<plugdb::Connection> connect(const plugdb::DataSource& source) override;
};

}  // namespace tinysql
