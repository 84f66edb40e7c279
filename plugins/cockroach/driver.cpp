#include "driver.h"

#include "connection.h"
#include "error.h"
#include "postgres/dialect.h"
#include "postgres/key_value_table.h"
#include "postgres/libpq_options.h"
#include "postgres/query_dialect.h"
#include "postgres/session.h"

namespace plugdb::cockroach {

const Dialect& CockroachDriver::dialect() const {
    return postgres::dollarNumberDialect();
}

const SqlDialect& CockroachDriver::sqlDialect() const {
    static const SqlDialect kSqlDialect = [] {
        SqlDialect d;
        // CockroachDB's INTEGER is already 64 bits (default_int_size 8); INT8
        // says so on both engines the wire reaches.
        d.types.integer = "INT8";
        d.types.bigint = "INT8";
        d.types.timestamp = "TIMESTAMPTZ";
        d.types.blob = "BYTEA";  // an alias of CockroachDB's BYTES
        // unique_rowid(): unique and roughly ordered by time, not consecutive;
        // a sequence would serialise every insert of the cluster on one range.
        d.autoIncrementKey = "INT8 DEFAULT unique_rowid() PRIMARY KEY";
        return d;  // no advisory locks: the migration lock is the lease table
    }();
    return kSqlDialect;
}

const QueryDialect& CockroachDriver::queryDialect() const {
    return postgres::onConflictQueryDialect();
}

const DriverOptions& CockroachDriver::driverOptions() const {
    return postgres::libpqOptions();
}

const TransactionRetry& CockroachDriver::transactionRetry() const {
    static const TransactionRetry kRetry{"cockroach_restart"};
    return kRetry;
}

const KeyValueTable& CockroachDriver::keyValueTable() const {
    return postgres::byteaKeyValueTable();
}

const std::string& CockroachDriver::beginReadSnapshot() const {
    return postgres::repeatableReadSnapshot();
}

std::unique_ptr<Connection> CockroachDriver::connect(const DataSource& source) {
    return std::make_unique<CockroachConnection>(
        postgres::openSession(source, cockroachErrors(), kDefaultPort));
}

}  // namespace plugdb::cockroach
