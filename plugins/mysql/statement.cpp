#include "statement.h"

#include "error.h"

namespace plugdb::mysql {

MyStatement::MyStatement(std::shared_ptr<Handle> handle, std::string_view sql)
    : handle_(std::move(handle)) {
    handle_->prepareForCommand(nullptr);
    statement_ = mysql_stmt_init(handle_->conn);
    if (statement_ == nullptr) throw connectionError(handle_->conn);
    if (mysql_stmt_prepare(statement_, sql.data(), sql.size()) != 0) {
        Error error = statementError(statement_, handle_->conn);
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
    if (handle_->streaming == this) handle_->streaming = nullptr;
}

void MyStatement::reset() {
    stopStreaming();
    buffered_.clear();
    bufferedRow_.reset();
    bufferedError_.reset();
}

void MyStatement::execute(std::span<const Value> params) {
    reset();
    handle_->prepareForCommand(this);
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
        throw statementError(statement_, handle_->conn);

    rowsAffected_ = 0;
    lastInsertId_.reset();
    if (mysql_stmt_field_count(statement_) == 0) {
        rowsAffected_ = static_cast<std::int64_t>(mysql_stmt_affected_rows(statement_));
        const auto id = mysql_stmt_insert_id(statement_);
        if (id != 0 && rowsAffected_ > 0) lastInsertId_ = static_cast<std::int64_t>(id);
        columns_.clear();
        return;
    }
    MYSQL_RES* meta = mysql_stmt_result_metadata(statement_);
    if (meta == nullptr) throw statementError(statement_, handle_->conn);
    const unsigned count = mysql_num_fields(meta);
    const MYSQL_FIELD* fields = mysql_fetch_fields(meta);
    columns_.clear();
    slots_.assign(count, ColumnSlot{});
    resultBinds_.assign(count, MYSQL_BIND{});
    for (unsigned i = 0; i < count; ++i)
        columns_.push_back(describeColumn(fields[i], slots_[i], resultBinds_[i]));
    mysql_free_result(meta);
    if (mysql_stmt_bind_result(statement_, resultBinds_.data()) != 0)
        throw statementError(statement_, handle_->conn);
    streaming_ = true;
    handle_->streaming = this;
}

bool MyStatement::fetch() {
    if (!streaming_) return false;
    const int rc = mysql_stmt_fetch(statement_);
    if (rc == MYSQL_NO_DATA) {
        stopStreaming();
        return false;
    }
    if (rc == 1) {
        Error error = statementError(statement_, handle_->conn);
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
            throw statementError(statement_, handle_->conn);
    }
    return true;
}

std::vector<Value> MyStatement::rowValues() {
    std::vector<Value> row;
    row.reserve(slots_.size());
    for (const auto& slot : slots_) row.push_back(decodeColumn(slot));
    return row;
}

void MyStatement::bufferRemaining() {
    try {
        while (fetch()) buffered_.push_back(rowValues());
    } catch (const Error& e) {
        bufferedError_ = e;
    }
}

bool MyStatement::next() {
    if (!buffered_.empty()) {
        bufferedRow_ = std::move(buffered_.front());
        buffered_.pop_front();
        return true;
    }
    bufferedRow_.reset();
    if (bufferedError_) {
        Error error = *bufferedError_;
        bufferedError_.reset();
        throw error;
    }
    return fetch();
}

Value MyStatement::get(std::size_t column) {
    if (column >= slots_.size())
        throw Error(ErrorCategory::InvalidArgument, "mysql: no such column",
                    ErrorDetails{"mysql", 0, {}});
    return bufferedRow_ ? (*bufferedRow_)[column] : decodeColumn(slots_[column]);
}

}  // namespace plugdb::mysql
