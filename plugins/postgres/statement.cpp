#include "statement.h"

#include <cstdlib>

#include "error.h"

namespace plugdb::postgres {

PgStatement::PgStatement(Handle& handle, std::string sql) : handle_(handle), sql_(std::move(sql)) {}

PgStatement::~PgStatement() {
    try {
        reset();
        if (!name_.empty()) handle_.toDeallocate.push_back(name_);
    } catch (...) {
        // A broken session is discarded by core; nothing left to release.
    }
}

void PgStatement::execute(std::span<const Value> params) {
    reset();
    handle_.beforeCommand();
    std::vector<Param> encoded;
    encoded.reserve(params.size());
    for (const Value& value : params) encoded.push_back(encode(value));
    send(encoded);

    ResultPtr first;
    if (receive(first)) pending_ = std::move(first);
}

void PgStatement::send(const std::vector<Param>& params) {
    const int count = static_cast<int>(params.size());
    std::vector<::Oid> types(params.size());
    std::vector<const char*> values(params.size());
    std::vector<int> lengths(params.size()), formats(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) {
        types[i] = params[i].type;
        values[i] = params[i].isNull ? nullptr : params[i].bytes.data();
        lengths[i] = static_cast<int>(params[i].bytes.size());
        formats[i] = params[i].binary ? 1 : 0;
    }
    PGconn* conn = handle_.conn;
    // A statement run once costs one round trip (parse, bind and execute
    // together); from its second run it is prepared on the server, and again
    // if its parameter types change (a NULL where a number was, say).
    if (++executions_ > 1 && (name_.empty() || preparedTypes_ != types)) {
        if (!name_.empty()) handle_.toDeallocate.push_back(name_);
        name_.clear();
        handle_.beforeCommand();
        const std::string name = handle_.newStatementName();
        ResultPtr prepared(PQprepare(conn, name.c_str(), sql_.c_str(), count, types.data()));
        if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK)
            throw resultError(prepared.get(), conn, handle_.errors);
        name_ = name;
        preparedTypes_ = types;
    }
    const int sent = name_.empty()
                         ? PQsendQueryParams(conn, sql_.c_str(), count, types.data(), values.data(),
                                             lengths.data(), formats.data(), 0)
                         : PQsendQueryPrepared(conn, name_.c_str(), count, values.data(),
                                               lengths.data(), formats.data(), 0);
    if (sent == 0) throw resultError(nullptr, conn, handle_.errors);
    inFlight_ = true;
    PQsetSingleRowMode(conn);
}

bool PgStatement::receive(ResultPtr& row) {
    while (inFlight_) {
        ResultPtr result(PQgetResult(handle_.conn));
        if (!result) {
            inFlight_ = false;
            if (unknownTypes_) nameUnknownTypes();
            break;
        }
        switch (PQresultStatus(result.get())) {
            case PGRES_SINGLE_TUPLE:
                if (columns_.empty() && columnOids_.empty()) describe(result.get());
                row = std::move(result);
                return true;
            case PGRES_TUPLES_OK:
            case PGRES_COMMAND_OK:
                if (columnOids_.empty()) describe(result.get());
                finishCommand(result.get());
                break;
            default: {
                Error error = resultError(result.get(), handle_.conn, handle_.errors);
                // Drain what libpq still holds so the session stays usable.
                while (ResultPtr rest{PQgetResult(handle_.conn)}) {
                }
                inFlight_ = false;
                throw error;
            }
        }
    }
    return false;
}

void PgStatement::finishCommand(PGresult* last) {
    // INSERT/UPDATE/DELETE (with or without RETURNING) report a count; a
    // SELECT's count is rows returned, not affected; DDL reports none.
    const std::string tag = PQcmdStatus(last);
    const char* affected = PQcmdTuples(last);
    rowsAffected_ = tag.starts_with("SELECT") || *affected == '\0' ? 0 : std::atoll(affected);
}

void PgStatement::describe(const PGresult* result) {
    const int fields = PQnfields(result);
    columns_.clear();
    columnOids_.clear();
    unknownTypes_ = false;
    for (int i = 0; i < fields; ++i) {
        const ::Oid oid = PQftype(result, i);
        columnOids_.push_back(oid);
        std::string declared = builtinTypeName(oid, PQfmod(result, i));
        if (declared.empty()) {
            const auto known = handle_.typeNames.find(oid);
            if (known != handle_.typeNames.end())
                declared = known->second;
            else
                unknownTypes_ = true;
        }
        columns_.push_back(Column{PQfname(result, i), typeForOid(oid), std::move(declared)});
    }
}

// Types created by users (enums, domains, composites) or rare built-ins: the
// catalog names them once per session. Until this statement's command has
// completed their declaredType is empty; later statements see it at once.
void PgStatement::nameUnknownTypes() {
    unknownTypes_ = false;
    std::vector<::Oid> missing;
    for (const ::Oid oid : columnOids_)
        if (builtinTypeName(oid, -1).empty() && !handle_.typeNames.contains(oid))
            missing.push_back(oid);
    if (!missing.empty()) handle_.lookUpTypeNames(missing);
    for (std::size_t i = 0; i < columns_.size(); ++i)
        if (columns_[i].declaredType.empty()) {
            const auto known = handle_.typeNames.find(columnOids_[i]);
            if (known != handle_.typeNames.end()) columns_[i].declaredType = known->second;
        }
}

bool PgStatement::next() {
    if (pending_) {
        current_ = std::move(pending_);
        return true;
    }
    current_.reset();
    return receive(current_);
}

Value PgStatement::get(std::size_t column) {
    const int field = static_cast<int>(column);
    if (!current_ || field >= PQnfields(current_.get()))
        throw Error(ErrorCategory::InvalidArgument,
                    std::string(handle_.errors.engine) + ": no such column or row",
                    pluginDetails(handle_.errors));
    if (PQgetisnull(current_.get(), 0, field)) return Value();
    return decode(columnOids_[column], PQgetvalue(current_.get(), 0, field),
                  PQgetlength(current_.get(), 0, field), handle_.errors);
}

void PgStatement::reset() {
    // The rest of an unread result must still be read off the wire. Not
    // cancelled: inside a transaction a cancel would abort the transaction.
    if (inFlight_) {
        while (ResultPtr rest{PQgetResult(handle_.conn)}) {
        }
        inFlight_ = false;
    }
    current_.reset();
    pending_.reset();
    unknownTypes_ = false;
    columns_.clear();
    columnOids_.clear();
    rowsAffected_ = 0;
}

}  // namespace plugdb::postgres
