// The MySQL/MariaDB driver: dialect and opening connections.
//
// It talks to MariaDB Connector/C directly. Poco 1.11's MySQL connector takes
// only a "key=value;" string with no TLS settings, and hands out connections
// the server already closed; the client API has TLS, KILL QUERY, unbuffered
// streaming and the binary protocol.
#pragma once

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/key_value_table.h"
#include "plugdb/query_dialect.h"
#include "plugdb/read_snapshot.h"
#include "plugdb/sql_dialect.h"

namespace plugdb::mysql {

class MysqlDriver final : public Driver,
                          public SqlDialectProvider,
                          public QueryDialectProvider,
                          public DriverOptionsProvider,
                          public KeyValueTableProvider,
                          public ReadSnapshotProvider {
public:
    MysqlDriver();
    const Dialect& dialect() const override;
    const SqlDialect& sqlDialect() const override;
    const QueryDialect& queryDialect() const override;
    const DriverOptions& driverOptions() const override;
    const KeyValueTable& keyValueTable() const override;
    const std::string& beginReadSnapshot() const override;
    std::unique_ptr<Connection> connect(const DataSource& source) override;
};

}  // namespace plugdb::mysql
