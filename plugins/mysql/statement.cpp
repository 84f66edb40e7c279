#include "statement.h"

#include <cctype>
#include <string>

#include "error.h"

namespace plugdb::mysql {
namespace {

// The statement's first keyword, after blanks and comments, is one that changes rows.
bool changesRows(std::string_view sql) {
    for (;;) {
        const auto start = sql.find_first_not_of(" \t\r\n(");
        if (start == std::string_view::npos) return false;
        sql.remove_prefix(start);
        if (sql.starts_with("--") || sql.starts_with("#")) {
            const auto end = sql.find('\n');
            if (end == std::string_view::npos) return false;
            sql.remove_prefix(end + 1);
        } else if (sql.starts_with("/*")) {
            const auto end = sql.find("*/");
            if (end == std::string_view::npos) return false;
            sql.remove_prefix(end + 2);
        } else {
            break;
        }
    }
    std::string word;
    for (char c : sql) {
        if (!std::isalpha(static_cast<unsigned char>(c))) break;
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return word == "insert" || word == "replace" || word == "update" || word == "delete";
}

}  // namespace

MyStatement::MyStatement(Handle& handle, std::string_view sql)
    : handle_(handle), writes_(changesRows(sql)) {
    statement_ = mysql_stmt_init(handle_.conn);
    if (statement_ == nullptr) throw connectionError(handle_.conn);
    if (mysql_stmt_prepare(statement_, sql.data(), sql.size()) != 0) {
        Error error = statementError(statement_, handle_.conn);
        mysql_stmt_close(statement_);
        throw error;
    }
}

MyStatement::~MyStatement() {
    stopStreaming();
    mysql_stmt_close(statement_);
}

void MyStatement::stopStreaming() {
    if (!streaming_) return;
    mysql_stmt_free_result(statement_);  // reads and drops the rest of the rows
    streaming_ = false;
}

void MyStatement::reset() {
    stopStreaming();
}

void MyStatement::execute(std::span<const Value> params) {
    reset();
    const unsigned long expected = mysql_stmt_param_count(statement_);
    if (params.size() != expected)
        throw Error(ErrorCategory::InvalidArgument,
                    "mysql: statement has " + std::to_string(expected) + " parameter(s), " +
                        std::to_string(params.size()) + " given",
                    ErrorDetails{"mysql", 0, {}});
    std::vector<ParamSlot> slots(params.size());
    std::vector<MYSQL_BIND> binds(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) bindParam(params[i], slots[i], binds[i]);
    if ((!binds.empty() && mysql_stmt_bind_param(statement_, binds.data()) != 0) ||
        mysql_stmt_execute(statement_) != 0)
        throw statementError(statement_, handle_.conn);

    rowsAffected_ = 0;
    fetched_ = 0;
    lastInsertId_.reset();
    if (mysql_stmt_field_count(statement_) == 0) {
        rowsAffected_ = static_cast<std::int64_t>(mysql_stmt_affected_rows(statement_));
        const auto id = mysql_stmt_insert_id(statement_);
        if (id != 0 && rowsAffected_ > 0) lastInsertId_ = static_cast<std::int64_t>(id);
        columns_.clear();
        return;
    }
    MYSQL_RES* meta = mysql_stmt_result_metadata(statement_);
    if (meta == nullptr) throw statementError(statement_, handle_.conn);
    const unsigned count = mysql_num_fields(meta);
    const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
    columns_.clear();
    slots_.assign(count, ColumnSlot{});
    resultBinds_.assign(count, MYSQL_BIND{});
    for (unsigned i = 0; i < count; ++i)
        columns_.push_back(describeColumn(fields[i], slots_[i], resultBinds_[i]));
    mysql_free_result(meta);
    if (mysql_stmt_bind_result(statement_, resultBinds_.data()) != 0)
        throw statementError(statement_, handle_.conn);
    streaming_ = true;
}

bool MyStatement::fetch() {
    if (!streaming_) return false;
    const int rc = mysql_stmt_fetch(statement_);
    if (rc == MYSQL_NO_DATA) {
        stopStreaming();
        if (writes_) rowsAffected_ = fetched_;  // one row returned per row changed
        return false;
    }
    if (rc == 1) {
        Error error = statementError(statement_, handle_.conn);
        stopStreaming();
        throw error;
    }
    // MYSQL_DATA_TRUNCATED: a string longer than its small buffer; fetch it whole.
    for (std::size_t i = 0; i < slots_.size(); ++i) {
        ColumnSlot& slot = slots_[i];
        if (slot.kind != ColumnSlot::Kind::Bytes || slot.isNull || slot.length <= slot.small.size())
            continue;
        slot.large.resize(slot.length);
        MYSQL_BIND whole = resultBinds_[i];
        whole.buffer = slot.large.data();
        whole.buffer_length = slot.length;
        if (mysql_stmt_fetch_column(statement_, &whole, static_cast<unsigned>(i), 0) != 0)
            throw statementError(statement_, handle_.conn);
    }
    ++fetched_;
    return true;
}

bool MyStatement::next() {
    return fetch();
}

Value MyStatement::get(std::size_t column) {
    if (column >= slots_.size())
        throw Error(ErrorCategory::InvalidArgument, "mysql: no such column",
                    ErrorDetails{"mysql", 0, {}});
    return decodeColumn(slots_[column]);
}

}  // namespace plugdb::mysql
