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

std::unique_ptr<Connection> MysqlDriver::connect(const DataSource& source) {
    MYSQL* conn = openSession(source);
    return std::make_unique<MyConnection>(std::make_shared<Handle>(conn, source));
}

}  // namespace plugdb::mysql
