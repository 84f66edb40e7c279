// The PostgreSQL driver: dialect and opening connections.
//
// It talks to libpq directly. Poco 1.11's PostgreSQL connector (itself a libpq
// wrapper) re-parses the connection string and knows only host, port, user,
// password, dbname and connect_timeout, so TLS modes, multi-host and
// target_session_attrs cannot reach libpq through it; it reports connection
// failures as text only, truncates fractional seconds of timestamps, and has
// no cancel, COPY or single-row mode.
#pragma once

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/key_value_table.h"
#include "plugdb/query_dialect.h"
#include "plugdb/read_snapshot.h"
#include "plugdb/sql_dialect.h"

namespace plugdb::postgres {

class PostgresDriver final : public Driver,
                             public SqlDialectProvider,
                             public QueryDialectProvider,
                             public DriverOptionsProvider,
                             public KeyValueTableProvider,
                             public ReadSnapshotProvider {
public:
    const Dialect& dialect() const override;
    const SqlDialect& sqlDialect() const override;
    const QueryDialect& queryDialect() const override;
    const DriverOptions& driverOptions() const override;
    const KeyValueTable& keyValueTable() const override;
    const std::string& beginReadSnapshot() const override;
    std::unique_ptr<Connection> connect(const DataSource& source) override;
};

}  // namespace plugdb::postgres
