// The CockroachDB driver: PostgreSQL's wire protocol (libpq, through the
// postgres plugin's shared code) with CockroachDB's default port, SQL
// dialect, retry protocol and errors.
#pragma once

#include "plugdb/driver.h"
#include "plugdb/driver_options.h"
#include "plugdb/key_value_table.h"
#include "plugdb/query_dialect.h"
#include "plugdb/read_snapshot.h"
#include "plugdb/sql_dialect.h"
#include "plugdb/transaction_retry.h"

namespace plugdb::cockroach {

inline constexpr int kDefaultPort = 26257;

class CockroachDriver final : public Driver,
                              public SqlDialectProvider,
                              public QueryDialectProvider,
                              public DriverOptionsProvider,
                              public TransactionRetryProvider,
                              public KeyValueTableProvider,
                              public ReadSnapshotProvider {
public:
    const Dialect& dialect() const override;
    const SqlDialect& sqlDialect() const override;
    const QueryDialect& queryDialect() const override;
    const DriverOptions& driverOptions() const override;
    const TransactionRetry& transactionRetry() const override;
    // As on PostgreSQL: BYTEA keys, ON CONFLICT, a REPEATABLE READ snapshot
    // (which CockroachDB runs as SERIALIZABLE, a snapshot too).
    const KeyValueTable& keyValueTable() const override;
    const std::string& beginReadSnapshot() const override;
    std::unique_ptr<Connection> connect(const DataSource& source) override;
};

}  // namespace plugdb::cockroach
