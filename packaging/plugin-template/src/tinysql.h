// tinysql: an example plugdb driver that stores data with SQLite, written
// against the public SDK only. Copy it as the start of your own driver.
#pragma once

#include <sqlite3.h>

#include <memory>

#include "plugdb/driver.h"

namespace tinysql {

class TinyDriver final : public plugdb::Driver {
public:
    const plugdb::Dialect& dialect() const override;
    // source.database is the file; options: busy_timeout (milliseconds).
    std::unique_ptr<plugdb::Connection> connect(const plugdb::DataSource& source) override;
};

}  // namespace tinysql
