#include "error.h"

namespace plugdb::cockroach {

ErrorCategory categoryForSqlState(const std::string& s) {
    // statement_completion_unknown ("result is ambiguous"): the commit may or
    // may not have happened, so it must never be retried as if it had not.
    if (s == "40003") return ErrorCategory::CommitUnknown;
    // 40001 covers every "restart transaction" error (RETRY_WRITE_TOO_OLD,
    // RETRY_SERIALIZABLE, ABORT_REASON_*, ...): PostgreSQL's Serialization.
    //
    // XXA00, "transaction committed with schema change failure": the data
    // changes committed, the schema change did not; retrying would apply the
    // data twice.
    if (s == "XXA00") return ErrorCategory::Other;
    // XXUUU: an internal error CockroachDB could not classify.
    if (s == "XXUUU") return ErrorCategory::Other;
    return postgres::categoryForSqlState(s);
}

const postgres::ErrorFlavor& cockroachErrors() {
    // lock_not_available (a lock timeout) rolled back the statement only, as
    // on PostgreSQL.
    static const postgres::ErrorFlavor kFlavor{"cockroach", categoryForSqlState,
                                               [](const std::string& s) { return s == "55P03"; }};
    return kFlavor;
}

}  // namespace plugdb::cockroach
