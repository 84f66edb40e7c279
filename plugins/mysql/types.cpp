#include "types.h"

#include <charconv>
#include <cstdio>

namespace plugdb::mysql {
namespace {

// MySQL's binary protocol sends times as calendar fields; plugdb keeps UTC
// microseconds. The session time zone is UTC (see connection.cpp).
MYSQL_TIME toMysqlTime(const Timestamp& ts) {
    MYSQL_TIME t{};
    unsigned micros = 0;
    std::sscanf(ts.toString().c_str(), "%4u-%2u-%2u %2u:%2u:%2u.%6u", &t.year, &t.month, &t.day,
                &t.hour, &t.minute, &t.second, &micros);
    t.second_part = micros;
    t.time_type = MYSQL_TIMESTAMP_DATETIME;
    return t;
}

Value fromMysqlTime(const MYSQL_TIME& t) {
    char text[40];
    std::snprintf(text, sizeof text, "%04u-%02u-%02u %02u:%02u:%02u.%06luZ", t.year, t.month, t.day,
                  t.hour, t.minute, t.second, t.second_part);
    if (auto ts = Timestamp::parse(text)) return Value(*ts);
    // Zero dates ("0000-00-00 00:00:00"): keep them visible as the server's text.
    std::snprintf(text, sizeof text, "%04u-%02u-%02u %02u:%02u:%02u", t.year, t.month, t.day,
                  t.hour, t.minute, t.second);
    return Value(std::string(text));
}

// A DATE is a calendar day, not a point in time: "YYYY-MM-DD" text on every engine.
Value fromMysqlDate(const MYSQL_TIME& t) {
    char text[16];
    std::snprintf(text, sizeof text, "%04u-%02u-%02u", t.year, t.month, t.day);
    return Value(std::string(text));
}

// A TIME is a duration of up to +-838 hours: "[-]HH:MM:SS[.ffffff]", the
// fraction without trailing zeros, as PostgreSQL prints its time type.
Value fromMysqlTimeOfDay(const MYSQL_TIME& t) {
    char text[40];
    const unsigned long hours = static_cast<unsigned long>(t.day) * 24 + t.hour;
    int n = std::snprintf(text, sizeof text, "%s%02lu:%02u:%02u", t.neg ? "-" : "", hours, t.minute,
                          t.second);
    std::string out(text, static_cast<std::size_t>(n));
    if (t.second_part != 0) {
        std::snprintf(text, sizeof text, ".%06lu", t.second_part);
        std::string fraction(text);
        fraction.erase(fraction.find_last_not_of('0') + 1);
        out += fraction;
    }
    return Value(std::move(out));
}

// Characters in a column of `bytes` bytes: metadata counts bytes, types count characters.
unsigned long characters(const MYSQL_FIELD& field, unsigned long bytes) {
    const MARIADB_CHARSET_INFO* charset = mariadb_get_charset_by_nr(field.charsetnr);
    const unsigned perCharacter =
        charset != nullptr && charset->char_maxlen > 0 ? charset->char_maxlen : 1;
    return bytes / perCharacter;
}

// Fractional seconds digits: "(6)" for DATETIME(6); none for 0 or expressions (31).
std::string fraction(const MYSQL_FIELD& field) {
    return field.decimals > 0 && field.decimals <= 6 ? "(" + std::to_string(field.decimals) + ")"
                                                     : std::string();
}

// TINY, "" (64 KiB), MEDIUM or LONG, by the column's capacity in bytes or characters.
const char* sizePrefix(unsigned long capacity) {
    if (capacity <= 255) return "TINY";
    if (capacity <= 65535) return "";
    if (capacity <= 16777215) return "MEDIUM";
    return "LONG";
}

}  // namespace

std::string typeName(const MYSQL_FIELD& field) {
    const bool binary = field.charsetnr == 63;
    std::string name;
    bool numeric = true;
    switch (field.type) {
        case MYSQL_TYPE_TINY:
            name = field.length == 1 ? "TINYINT(1)" : "TINYINT";
            break;
        case MYSQL_TYPE_SHORT:
            name = "SMALLINT";
            break;
        case MYSQL_TYPE_INT24:
            name = "MEDIUMINT";
            break;
        case MYSQL_TYPE_LONG:
            name = "INT";
            break;
        case MYSQL_TYPE_LONGLONG:
            name = "BIGINT";
            break;
        case MYSQL_TYPE_FLOAT:
            name = "FLOAT";
            break;
        case MYSQL_TYPE_DOUBLE:
            name = "DOUBLE";
            break;
        case MYSQL_TYPE_DECIMAL:
        case MYSQL_TYPE_NEWDECIMAL: {
            // The display length counts the sign and the decimal point.
            const unsigned long precision = field.length - (field.decimals > 0 ? 1 : 0) -
                                            ((field.flags & UNSIGNED_FLAG) ? 0 : 1);
            name =
                "DECIMAL(" + std::to_string(precision) + "," + std::to_string(field.decimals) + ")";
            break;
        }
        default:
            numeric = false;
            break;
    }
    if (numeric) return (field.flags & UNSIGNED_FLAG) ? name + " UNSIGNED" : name;
    if (field.flags & ENUM_FLAG) return "ENUM";
    if (field.flags & SET_FLAG) return "SET";
    switch (field.type) {
        case MYSQL_TYPE_YEAR:
            return "YEAR";
        case MYSQL_TYPE_DATE:
        case MYSQL_TYPE_NEWDATE:
            return "DATE";
        case MYSQL_TYPE_TIME:
            return "TIME" + fraction(field);
        case MYSQL_TYPE_DATETIME:
            return "DATETIME" + fraction(field);
        case MYSQL_TYPE_TIMESTAMP:
            return "TIMESTAMP" + fraction(field);
        case MYSQL_TYPE_BIT:
            return "BIT(" + std::to_string(field.length) + ")";
        case MYSQL_TYPE_JSON:
            return "JSON";
        case MYSQL_TYPE_STRING:
            return binary ? "BINARY(" + std::to_string(field.length) + ")"
                          : "CHAR(" + std::to_string(characters(field, field.length)) + ")";
        case MYSQL_TYPE_VARCHAR:
        case MYSQL_TYPE_VAR_STRING:
            return binary ? "VARBINARY(" + std::to_string(field.length) + ")"
                          : "VARCHAR(" + std::to_string(characters(field, field.length)) + ")";
        case MYSQL_TYPE_TINY_BLOB:
        case MYSQL_TYPE_BLOB:
        case MYSQL_TYPE_MEDIUM_BLOB:
        case MYSQL_TYPE_LONG_BLOB:
            return binary ? std::string(sizePrefix(field.length)) + "BLOB"
                          : std::string(sizePrefix(characters(field, field.length))) + "TEXT";
        case MYSQL_TYPE_GEOMETRY:
            return "GEOMETRY";
        case MYSQL_TYPE_NULL:
            return "NULL";
        default:
            return {};
    }
}

void bindParam(const Value& value, ParamSlot& slot, MYSQL_BIND& bind) {
    static char kEmpty = 0;  // a zero-length non-NULL buffer: empty, not NULL
    bind = MYSQL_BIND{};
    bind.is_null = &slot.isNull;
    bind.length = &slot.length;
    switch (value.type()) {
        case Type::Null:
            bind.buffer_type = MYSQL_TYPE_NULL;
            slot.isNull = 1;
            break;
        case Type::Bool:
            slot.tiny = value.asBool() ? 1 : 0;
            bind.buffer_type = MYSQL_TYPE_TINY;
            bind.buffer = &slot.tiny;
            break;
        case Type::Int:
            slot.integer = value.asInt();
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &slot.integer;
            break;
        case Type::Double:
            slot.real = value.asDouble();
            bind.buffer_type = MYSQL_TYPE_DOUBLE;
            bind.buffer = &slot.real;
            break;
        case Type::Text: {
            const std::string& text = value.asText();
            bind.buffer_type = MYSQL_TYPE_STRING;
            bind.buffer = text.empty() ? &kEmpty : const_cast<char*>(text.data());
            slot.length = text.size();
            break;
        }
        case Type::Blob: {
            const Blob& blob = value.asBlob();
            bind.buffer_type = MYSQL_TYPE_BLOB;
            bind.buffer =
                blob.empty() ? static_cast<void*>(&kEmpty) : const_cast<std::uint8_t*>(blob.data());
            slot.length = blob.size();
            break;
        }
        case Type::Timestamp:
            slot.time = toMysqlTime(value.asTimestamp());
            bind.buffer_type = MYSQL_TYPE_DATETIME;
            bind.buffer = &slot.time;
            break;
    }
}

Column describeColumn(const MYSQL_FIELD& field, ColumnSlot& slot, MYSQL_BIND& bind) {
    bind = MYSQL_BIND{};
    bind.is_null = &slot.isNull;
    bind.length = &slot.length;
    bind.error = &slot.error;
    slot.isUnsigned = (field.flags & UNSIGNED_FLAG) != 0;
    slot.isDecimal = false;
    switch (field.type) {
        case MYSQL_TYPE_TINY:
            if (field.length == 1) {  // BOOLEAN is TINYINT(1)
                slot.kind = ColumnSlot::Kind::Bool;
                slot.type = Type::Bool;
                bind.buffer_type = MYSQL_TYPE_LONGLONG;
                bind.buffer = &slot.integer;
                bind.is_unsigned = slot.isUnsigned;
                break;
            }
            [[fallthrough]];
        case MYSQL_TYPE_SHORT:
        case MYSQL_TYPE_INT24:
        case MYSQL_TYPE_LONG:
        case MYSQL_TYPE_LONGLONG:
        case MYSQL_TYPE_YEAR:
            slot.kind = ColumnSlot::Kind::Int;
            slot.type = Type::Int;
            bind.buffer_type = MYSQL_TYPE_LONGLONG;
            bind.buffer = &slot.integer;
            bind.is_unsigned = slot.isUnsigned;
            break;
        case MYSQL_TYPE_FLOAT:
        case MYSQL_TYPE_DOUBLE:
            slot.kind = ColumnSlot::Kind::Double;
            slot.type = Type::Double;
            bind.buffer_type = MYSQL_TYPE_DOUBLE;
            bind.buffer = &slot.real;
            break;
        case MYSQL_TYPE_DATE:
            slot.kind = ColumnSlot::Kind::Date;
            slot.type = Type::Text;
            bind.buffer_type = MYSQL_TYPE_DATE;
            bind.buffer = &slot.time;
            break;
        case MYSQL_TYPE_TIME:
            slot.kind = ColumnSlot::Kind::TimeOfDay;
            slot.type = Type::Text;
            bind.buffer_type = MYSQL_TYPE_TIME;
            bind.buffer = &slot.time;
            break;
        case MYSQL_TYPE_DATETIME:
        case MYSQL_TYPE_TIMESTAMP:
            slot.kind = ColumnSlot::Kind::Time;
            slot.type = Type::Timestamp;
            bind.buffer_type = MYSQL_TYPE_DATETIME;
            bind.buffer = &slot.time;
            break;
        default:
            slot.kind = ColumnSlot::Kind::Bytes;
            slot.isDecimal =
                field.type == MYSQL_TYPE_NEWDECIMAL || field.type == MYSQL_TYPE_DECIMAL;
            // Binary strings (charset 63) are blobs; everything else is text.
            slot.type = field.charsetnr == 63 && !slot.isDecimal ? Type::Blob : Type::Text;
            bind.buffer_type = slot.type == Type::Blob ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
            bind.buffer = slot.small.data();
            bind.buffer_length = slot.small.size();
            break;
    }
    return Column{field.name, slot.type, typeName(field)};
}

Value decodeColumn(const ColumnSlot& slot) {
    if (slot.isNull) return Value();
    switch (slot.kind) {
        case ColumnSlot::Kind::Bool:
            // TINYINT(1) holds -128..127: only 0 and 1 are booleans, the rest stay numbers.
            if (slot.integer == 0 || slot.integer == 1) return Value(slot.integer == 1);
            return Value(static_cast<std::int64_t>(slot.integer));
        case ColumnSlot::Kind::Int:
            if (slot.isUnsigned && slot.integer < 0)  // above INT64_MAX: keep every digit
                return Value(std::to_string(static_cast<unsigned long long>(slot.integer)));
            return Value(static_cast<std::int64_t>(slot.integer));
        case ColumnSlot::Kind::Double:
            return Value(slot.real);
        case ColumnSlot::Kind::Time:
            return fromMysqlTime(slot.time);
        case ColumnSlot::Kind::Date:
            return fromMysqlDate(slot.time);
        case ColumnSlot::Kind::TimeOfDay:
            return fromMysqlTimeOfDay(slot.time);
        case ColumnSlot::Kind::Bytes:
            break;
    }
    const char* data = slot.length > slot.small.size() ? slot.large.data() : slot.small.data();
    if (slot.type == Type::Blob)
        return Value(Blob(reinterpret_cast<const std::uint8_t*>(data),
                          reinterpret_cast<const std::uint8_t*>(data) + slot.length));
    if (slot.isDecimal) return Value::fromDecimalText(std::string_view(data, slot.length));
    return Value(std::string(data, slot.length));
}

}  // namespace plugdb::mysql
