// Database::insertReturning and its kin on Transaction and Session: the
// builder's single-row insert with returning().
#include "../lease.h"
#include "plugdb/database.h"
#include "run_returning.h"
#include "target.h"

namespace plugdb {

Value Database::insertReturning(std::string_view table, const std::vector<std::string>& columns,
                                Params values, std::string_view key) {
    return sql::detail::returningInsert(table, columns, values, key).execReturning(*this);
}

Value Transaction::insertReturning(std::string_view table, const std::vector<std::string>& columns,
                                   Params values, std::string_view key) {
    const sql::Target target = sql::detail::targetOf(lease_->core());
    return sql::detail::runReturning(
        *this, sql::detail::returningInsert(table, columns, values, key), target);
}

Value Session::insertReturning(std::string_view table, const std::vector<std::string>& columns,
                               Params values, std::string_view key) {
    const sql::Target target = sql::detail::targetOf(lease_->core());
    return sql::detail::runReturning(
        *this, sql::detail::returningInsert(table, columns, values, key), target);
}

}  // namespace plugdb
