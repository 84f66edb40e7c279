// The SQLite driver: dialect and opening connections.
#pragma once

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/key_value_table.h"
#include "plugdb/query_dialect.h"
#include "plugdb/read_snapshot.h"
#include "plugdb/sql_dialect.h"

namespace plugdb::sqlite {

class SqliteDriver final : public Driver,
                           public SqlDialectProvider,
                           public QueryDialectProvider,
                           public DriverOptionsProvider,
                           public KeyValueTableProvider,
                           public ReadSnapshotProvider {
public:
    SqliteDriver();  // registers Poco's SQLite connector for as long as the driver lives
    ~SqliteDriver() override;
    SqliteDriver(const SqliteDriver&) = delete;
    SqliteDriver& operator=(const SqliteDriver&) = delete;

    const Dialect& dialect() const override;
    const SqlDialect& sqlDialect() const override;
    const QueryDialect& queryDialect() const override;
    // busy_timeout, journal_mode, synchronous, mode, read_only, foreign_keys (always on).
    const DriverOptions& driverOptions() const override;
    const KeyValueTable& keyValueTable() const override;
    const std::string& beginReadSnapshot() const override;
    // source.database is the file (":memory:" or empty: a private in-memory database).
    std::unique_ptr<Connection> connect(const DataSource& source) override;
};

}  // namespace plugdb::sqlite
