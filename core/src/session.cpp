#include "plugdb/session.h"

#include <utility>

#include "lease.h"
#include "named_query_run.h"

namespace plugdb {

Session::Session(std::shared_ptr<detail::Lease> lease) : lease_(std::move(lease)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result Session::exec(std::string_view sqlText, Params params) {
    detail::requireNotMovedFrom(lease_, "the session");
    return lease_->exec(sqlText, params);
}

Rows Session::query(std::string_view sqlText, Params params) {
    detail::requireNotMovedFrom(lease_, "the session");
    return lease_->query(sqlText, params);
}

Rows Session::named(std::string_view name, const NamedParams& params) {
    detail::requireNotMovedFrom(lease_, "the session");
    return detail::queryNamed(*lease_, name, params);
}

Result Session::namedExec(std::string_view name, const NamedParams& params) {
    detail::requireNotMovedFrom(lease_, "the session");
    return detail::execNamed(*lease_, name, params);
}

void Session::executeScript(std::string_view sqlText) {
    detail::requireNotMovedFrom(lease_, "the session");
    lease_->yieldCursor();
    lease_->call([&] { lease_->connection().executeScript(sqlText); });
}

Transaction Session::begin() {
    detail::requireNotMovedFrom(lease_, "the session");
    if ((lease_->core().info().capabilities & kCapTransactions) == 0)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + lease_->core().info().driver + "' does not support transactions");
    return Transaction(lease_);
}

}  // namespace plugdb
