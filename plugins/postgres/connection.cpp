#include "connection.h"

#include <string>

#include "copy.h"
#include "error.h"
#include "statement.h"

namespace plugdb::postgres {

Handle::~Handle() {
    if (cancel) PQfreeCancel(cancel);
    PQfinish(conn);
}

void Handle::beforeCommand() {
    // Only outside transactions: inside a failed one the server refuses all but
    // ROLLBACK, and an error here must never abort the caller's transaction.
    if (toDeallocate.empty() || PQtransactionStatus(conn) != PQTRANS_IDLE) return;
    std::string sql;
    for (const auto& name : toDeallocate) sql += "DEALLOCATE " + name + ";";
    toDeallocate.clear();
    run(sql);
}

void Handle::run(const std::string& sql) {
    beforeCommand();
    ResultPtr result(PQexec(conn, sql.c_str()));
    const auto status = PQresultStatus(result.get());
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        throw resultError(result.get(), conn, errors);
}

void PgConnection::checkStatement(std::string_view sql) {
    handle_->beforeCommand();
    const std::string text(sql);
    ResultPtr result(PQprepare(handle_->conn, "", text.c_str(), 0, nullptr));
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK)
        throw resultError(result.get(), handle_->conn, handle_->errors);
}

void Handle::lookUpTypeNames(const std::vector<::Oid>& oids) {
    std::string array = "{";
    for (const ::Oid oid : oids) {
        array += (array.size() > 1 ? "," : "") + std::to_string(oid);
        typeNames.emplace(oid, "");  // asked once, even if the catalog does not know it
    }
    array += "}";
    // A failed query would abort the caller's transaction: not inside a failed one.
    if (PQtransactionStatus(conn) == PQTRANS_INERROR) return;
    const char* values[] = {array.c_str()};
    ResultPtr result(PQexecParams(conn,
                                  "SELECT oid, format_type(oid, NULL) FROM pg_type "
                                  "WHERE oid = ANY($1::oid[])",
                                  1, nullptr, values, nullptr, nullptr, 0));
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK) return;  // names stay empty
    for (int row = 0; row < PQntuples(result.get()); ++row)
        typeNames[static_cast<::Oid>(std::stoul(PQgetvalue(result.get(), row, 0)))] =
            PQgetvalue(result.get(), row, 1);
}

std::unique_ptr<Statement> PgConnection::prepare(std::string_view sql) {
    return std::make_unique<PgStatement>(*handle_, std::string(sql));
}

void PgConnection::executeScript(std::string_view sql) {
    handle_->run(std::string(sql));
}

std::string PgConnection::serverVersion() {
    const char* version = PQparameterStatus(handle_->conn, "server_version");
    return std::string("PostgreSQL ") + (version ? version : "unknown");
}

// PQcancel with nothing running is ignored by the server.
void PgConnection::interrupt() {
    char ignored[256];
    if (handle_->cancel) PQcancel(handle_->cancel, ignored, sizeof ignored);
}

std::unique_ptr<BulkWriter> PgConnection::bulkWriter(std::string_view table,
                                                     std::span<const std::string> columns) {
    return std::make_unique<PgCopyWriter>(*handle_, table, columns);
}

}  // namespace plugdb::postgres
