#include "connection.h"

#include "copy.h"
#include "error.h"
#include "statement.h"

namespace plugdb::postgres {

Handle::~Handle() {
    if (cancel) PQfreeCancel(cancel);
    PQfinish(conn);
}

void Handle::prepareForCommand(PgStatement* next) {
    if (streaming != nullptr && streaming != next) streaming->bufferRemaining();
    streaming = nullptr;
    // Only outside transactions: inside a failed one the server refuses all but
    // ROLLBACK, and an error here must never abort the caller's transaction.
    if (toDeallocate.empty() || PQtransactionStatus(conn) != PQTRANS_IDLE) return;
    std::string sql;
    for (const auto& name : toDeallocate) sql += "DEALLOCATE " + name + ";";
    toDeallocate.clear();
    run(sql);
}

void Handle::run(const std::string& sql) {
    prepareForCommand(nullptr);
    ResultPtr result(PQexec(conn, sql.c_str()));
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw resultError(result.get(), conn);
}

std::unique_ptr<Statement> PgConnection::prepare(std::string_view sql) {
    return std::make_unique<PgStatement>(handle_, std::string(sql));
}

void PgConnection::executeScript(std::string_view sql) {
    handle_->run(std::string(sql));
}

std::string PgConnection::serverVersion() {
    const char* version = PQparameterStatus(handle_->conn, "server_version");
    return std::string("PostgreSQL ") + (version ? version : "unknown");
}

void PgConnection::interrupt() {
    char ignored[256];
    if (handle_->cancel) PQcancel(handle_->cancel, ignored, sizeof ignored);
}

std::unique_ptr<BulkWriter> PgConnection::bulkWriter(std::string_view table,
                                                     std::span<const std::string> columns) {
    return std::make_unique<PgCopyWriter>(handle_, table, columns);
}

}  // namespace plugdb::postgres
