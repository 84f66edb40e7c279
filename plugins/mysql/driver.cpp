#include "driver.h"

#include "connection.h"

namespace plugdb::mysql {

MysqlDriver::MysqlDriver() {
    mysql_library_init(0, nullptr, nullptr);  // once, before any thread opens a session
}

const Dialect& MysqlDriver::dialect() const {
    static const Dialect kDialect{Dialect::Placeholders::Question, '`'};
    return kDialect;
}

const SqlDialect& MysqlDriver::sqlDialect() const {
    static const SqlDialect kSqlDialect = [] {
        SqlDialect d;
        d.types.timestamp = "DATETIME(6)";  // TIMESTAMP ends in 2038 and follows the session zone
        d.autoIncrementKey = "BIGINT AUTO_INCREMENT PRIMARY KEY";
        d.currentTimestamp = "CURRENT_TIMESTAMP(6)";
        // Case-sensitive UTF-8 text, as on the other engines.
        d.createTableSuffix = " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
        d.dropIndexNamesTable = true;
        // GET_LOCK names are server-wide: qualified with the database, hashed to fit 64
        // characters. The server releases the lock when the session ends.
        const std::string name =
            "CONCAT('plugdb_migrate:', LEFT(SHA2(CONCAT(DATABASE(), '.', ?), 256), 40))";
        d.advisoryLock = {"SELECT COALESCE(GET_LOCK(" + name + ", 0), 0)",
                          "SELECT RELEASE_LOCK(" + name + ")", SqlDialect::AdvisoryLock::Key::Text};
        return d;
    }();
    return kSqlDialect;
}

// OFFSET needs a LIMIT; the manual's "all rows" is the largest unsigned BIGINT.
// VALUES(col) rather than MySQL 8's row alias: MariaDB has only the former.
const QueryDialect& MysqlDriver::queryDialect() const {
    static const QueryDialect kQueryDialect{QueryDialect::Upsert::OnDuplicateKey,
                                            "LIMIT 18446744073709551615"};
    return kQueryDialect;
}

// VARBINARY compares bytes without padding, shorter first. InnoDB's primary
// key holds at most 3072 bytes: 64 for the namespace, the rest for the key.
// A value travels in one packet, so it stays below the server's default
// max_allowed_packet (16 MiB) with room for the key and the statement.
const KeyValueTable& MysqlDriver::keyValueTable() const {
    static const KeyValueTable kTable{"VARBINARY(64)",
                                      "VARBINARY(3008)",
                                      "LONGBLOB",
                                      " ENGINE=InnoDB",
                                      3008,
                                      (16u << 20) - (64u << 10),
                                      KeyValueTable::Upsert::OnDuplicateKey};
    return kTable;
}

const std::string& MysqlDriver::beginReadSnapshot() const {
    static const std::string kBegin = "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";
    return kBegin;
}

const DriverOptions& MysqlDriver::driverOptions() const {
    using Kind = DriverOption::Kind;
    const std::vector<std::string> tlsModes{
        "disabled",  "disable",   "preferred",   "prefer",          "required",       "require",
        "verify-ca", "verify_ca", "verify-full", "verify-identity", "verify_identity"};
    static const DriverOptions kOptions{{
        {"connect_timeout", Kind::Int, "seconds to wait for the server (10)", {}, 0, 2147483647},
        {"socket", Kind::Text, "the server's unix socket"},
        {"ssl-ca", Kind::Text, "the CA certificate file"},
        {"ssl-cert", Kind::Text, "the client certificate file"},
        {"ssl-key", Kind::Text, "the client key file"},
        {"ssl-mode", Kind::Text, "TLS", tlsModes},
        {"sslcert", Kind::Text, "as ssl-cert"},
        {"sslkey", Kind::Text, "as ssl-key"},
        {"sslmode", Kind::Text, "as ssl-mode", tlsModes},
        {"sslrootcert", Kind::Text, "as ssl-ca"},
    }};
    return kOptions;
}

std::unique_ptr<Connection> MysqlDriver::connect(const DataSource& source) {
    MYSQL* conn = openSession(source);
    return std::make_unique<MyConnection>(std::make_shared<Handle>(conn, source));
}

}  // namespace plugdb::mysql
