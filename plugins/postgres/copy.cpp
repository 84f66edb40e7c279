#include "copy.h"

#include <cstdlib>

#include "error.h"
#include "statement.h"
#include "types.h"

namespace plugdb::postgres {
namespace {
// Bytes gathered before a PQputCopyData call: large enough that the calls
// cost nothing next to the formatting, small enough to stay in cache.
constexpr std::size_t kFlushBytes = 64 * 1024;
}  // namespace

PgCopyWriter::PgCopyWriter(Handle& handle, std::string_view table,
                           std::span<const std::string> columns)
    : handle_(handle) {
    std::string sql = "COPY " + std::string(table) + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? "," : "") + columns[i];
    sql += ") FROM STDIN";
    handle_.beforeCommand();
    ResultPtr result(PQexec(handle_.conn, sql.c_str()));
    if (PQresultStatus(result.get()) != PGRES_COPY_IN)
        throw resultError(result.get(), handle_.conn, handle_.errors);
    open_ = true;
    buffer_.reserve(kFlushBytes + 4096);
}

PgCopyWriter::~PgCopyWriter() {
    if (!open_) return;
    // Ends the COPY with an error: the server discards it and fails the transaction.
    PQputCopyEnd(handle_.conn, "bulk insert abandoned by the client");
    try {
        collectResult();
    } catch (const Error&) {  // the expected outcome
    }
}

void PgCopyWriter::write(std::span<const Value> row) {
    for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) buffer_ += '\t';
        appendCopyField(row[i], buffer_);
    }
    buffer_ += '\n';
    if (buffer_.size() >= kFlushBytes) flush();
}

void PgCopyWriter::flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(handle_.conn, buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
        open_ = false;
        throw Error(ErrorCategory::Connection,
                    std::string(handle_.errors.engine) +
                        ": sending COPY data failed: " + PQerrorMessage(handle_.conn),
                    pluginDetails(handle_.errors));
    }
    buffer_.clear();
}

std::int64_t PgCopyWriter::finish() {
    flush();
    if (PQputCopyEnd(handle_.conn, nullptr) != 1) {
        open_ = false;
        throw Error(ErrorCategory::Connection,
                    std::string(handle_.errors.engine) +
                        ": ending COPY failed: " + PQerrorMessage(handle_.conn),
                    pluginDetails(handle_.errors));
    }
    return collectResult();
}

std::int64_t PgCopyWriter::collectResult() {
    open_ = false;
    std::int64_t rows = 0;
    std::optional<Error> failure;
    // Every result must be read before the session takes a new command.
    while (ResultPtr result{PQgetResult(handle_.conn)}) {
        if (PQresultStatus(result.get()) == PGRES_COMMAND_OK)
            rows = std::strtoll(PQcmdTuples(result.get()), nullptr, 10);
        else if (!failure)
            failure = resultError(result.get(), handle_.conn, handle_.errors);
    }
    if (failure) throw *failure;
    return rows;
}

}  // namespace plugdb::postgres
