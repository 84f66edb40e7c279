#include "types.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <initializer_list>
#include <string>

namespace plugdb::sqlite {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

bool containsAny(std::string_view text, std::initializer_list<std::string_view> words) {
    return std::any_of(words.begin(), words.end(), [&](std::string_view word) {
        return text.find(word) != std::string_view::npos;
    });
}

// True when the integer survives the trip through double unchanged.
bool fitsDouble(std::int64_t n) {
    const double d = static_cast<double>(n);
    return d >= -0x1p63 && d < 0x1p63 && static_cast<std::int64_t>(d) == n;
}

int bindText(sqlite3_stmt* statement, int index, const std::string& text) {
    // Parameters only live during execute() while later steps still read them: copy.
    return sqlite3_bind_text64(statement, index, text.data(), text.size(), SQLITE_TRANSIENT,
                               SQLITE_UTF8);
}

// "YYYY-MM-DD" and nothing else.
bool isBareDate(std::string_view text) {
    return text.size() == 10 && Timestamp::parse(text).has_value();
}

Value readInteger(std::int64_t n, Type columnType) {
    switch (columnType) {
        case Type::Bool:
            // Only 0 and 1 are booleans: SQLite keeps any integer in a BOOLEAN column.
            if (n == 0 || n == 1) return Value(n == 1);
            break;
        case Type::Double:
            if (fitsDouble(n)) return Value(static_cast<double>(n));
            break;
        case Type::Timestamp:  // an integer in a time column is Unix seconds
            if (n <= INT64_MAX / kMicrosPerSecond && n >= INT64_MIN / kMicrosPerSecond)
                return Value(Timestamp{n * kMicrosPerSecond});
            break;
        default:
            break;
    }
    return Value(n);
}

}  // namespace

Type typeForDeclared(std::string_view declaredType) {
    std::string upper(declaredType);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (containsAny(upper, {"BOOL"})) return Type::Bool;
    if (containsAny(upper, {"TIMESTAMP", "DATE"})) return Type::Timestamp;  // DATE, DATETIME
    if (containsAny(upper, {"INT"})) return Type::Int;
    if (containsAny(upper, {"CHAR", "CLOB", "TEXT"})) return Type::Text;
    if (containsAny(upper, {"BLOB"})) return Type::Blob;
    if (containsAny(upper, {"REAL", "FLOA", "DOUB", "NUMERIC", "DECIMAL"})) return Type::Double;
    return Type::Null;
}

int bindValue(sqlite3_stmt* statement, int index, const Value& value) {
    switch (value.type()) {
        case Type::Null:
            return sqlite3_bind_null(statement, index);
        case Type::Bool:
            return sqlite3_bind_int(statement, index, value.asBool() ? 1 : 0);
        case Type::Int:
            return sqlite3_bind_int64(statement, index, value.asInt());
        case Type::Double:
            return sqlite3_bind_double(statement, index, value.asDouble());
        case Type::Text:
            return bindText(statement, index, value.asText());
        case Type::Blob: {
            const Blob& blob = value.asBlob();
            // A null data pointer would bind NULL; an empty blob must stay a blob.
            if (blob.empty()) return sqlite3_bind_zeroblob(statement, index, 0);
            return sqlite3_bind_blob64(statement, index, blob.data(), blob.size(),
                                       SQLITE_TRANSIENT);
        }
        case Type::Timestamp:
            return bindText(statement, index, value.asTimestamp().toString());
    }
    return SQLITE_MISMATCH;
}

// Through sqlite3_column_value and the sqlite3_value_* calls: one mutex round
// trip per column instead of one per call. The value is "unprotected", which is
// safe here because a connection is used by one thread at a time.
Value readValue(sqlite3_stmt* statement, int column, Type columnType) {
    sqlite3_value* value = sqlite3_column_value(statement, column);
    switch (sqlite3_value_type(value)) {
        case SQLITE_INTEGER:
            return readInteger(sqlite3_value_int64(value), columnType);
        case SQLITE_FLOAT:
            return Value(sqlite3_value_double(value));
        case SQLITE_TEXT: {
            // The pointer first, then the size: the documented order.
            const auto* data = reinterpret_cast<const char*>(sqlite3_value_text(value));
            std::string text(data != nullptr ? data : "",
                             static_cast<std::size_t>(sqlite3_value_bytes(value)));
            // A bare date ("2024-01-02") is a calendar day, not a point in time: it
            // stays text, as DATE does on the other engines.
            if (columnType == Type::Timestamp && !isBareDate(text)) {
                if (auto timestamp = Timestamp::parse(text)) return Value(*timestamp);
            }
            return Value(std::move(text));
        }
        case SQLITE_BLOB: {
            const auto* data = static_cast<const std::uint8_t*>(sqlite3_value_blob(value));
            const auto size = static_cast<std::size_t>(sqlite3_value_bytes(value));
            return Value(size == 0 ? Blob() : Blob(data, data + size));
        }
        default:
            return Value();
    }
}

}  // namespace plugdb::sqlite
