#include "types.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <string_view>

#include "error.h"
#include "plugdb/error.h"

namespace plugdb::postgres {
namespace {

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

[[noreturn]] void badBytea(const ErrorFlavor& errors, const char* why) {
    throw Error(
        ErrorCategory::Other,
        std::string(errors.engine) + ": cannot decode a bytea value from the server: " + why,
        pluginDetails(errors));
}

// bytea's text output: hex ("\x0aff", bytea_output = hex, the default) or
// escape ("a\000\\", bytea_output = escape). Anything else is refused, never
// turned into other bytes.
Blob decodeBytea(std::string_view text, const ErrorFlavor& errors) {
    Blob out;
    if (text.starts_with("\\x")) {
        text.remove_prefix(2);
        if (text.size() % 2 != 0) badBytea(errors, "hex format with an odd number of digits");
        out.reserve(text.size() / 2);
        for (std::size_t i = 0; i < text.size(); i += 2) {
            const int high = hexDigit(text[i]), low = hexDigit(text[i + 1]);
            if (high < 0 || low < 0)
                badBytea(errors, "hex format with a character that is not a hex digit");
            out.push_back(static_cast<std::uint8_t>(high * 16 + low));
        }
        return out;
    }
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\\') {
            out.push_back(static_cast<std::uint8_t>(text[i]));
        } else if (i + 1 < text.size() && text[i + 1] == '\\') {
            out.push_back('\\');
            ++i;
        } else if (i + 3 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '3' &&
                   text[i + 2] >= '0' && text[i + 2] <= '7' && text[i + 3] >= '0' &&
                   text[i + 3] <= '7') {
            out.push_back(static_cast<std::uint8_t>((text[i + 1] - '0') * 64 +
                                                    (text[i + 2] - '0') * 8 + (text[i + 3] - '0')));
            i += 3;
        } else {
            badBytea(errors,
                     "escape format with a backslash not followed by \\ or three octal digits");
        }
    }
    return out;
}

double decodeDouble(std::string_view text) {
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    double d = 0;
    std::from_chars(text.data(), text.data() + text.size(), d);
    return d;
}

std::string encodeDouble(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);  // shortest exact form
    return std::string(buf, end);
}

}  // namespace

Type typeForOid(::Oid oid) {
    switch (oid) {
        case kBoolOid:
            return Type::Bool;
        case kByteaOid:
            return Type::Blob;
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid:
            return Type::Int;
        case kFloat4Oid:
        case kFloat8Oid:
            return Type::Double;
        case kTimestampOid:
        case kTimestampTzOid:
            return Type::Timestamp;
        default:
            // date ("2024-01-02") and time ("03:04:05.5") are not points in time;
            // numeric, json, uuid, ...: text keeps every digit.
            return Type::Text;
    }
}

namespace {

struct BuiltinType {
    ::Oid oid;
    const char* name;
    ::Oid arrayOf;  // for array types: the element type, 0 otherwise
};

// pg_type.dat's common types and their arrays; PostgreSQL's own names.
constexpr BuiltinType kBuiltinTypes[] = {
    {16, "bool", 0},        {17, "bytea", 0},         {18, "char", 0},
    {19, "name", 0},        {20, "int8", 0},          {21, "int2", 0},
    {23, "int4", 0},        {25, "text", 0},          {26, "oid", 0},
    {114, "json", 0},       {142, "xml", 0},          {600, "point", 0},
    {650, "cidr", 0},       {700, "float4", 0},       {701, "float8", 0},
    {705, "unknown", 0},    {774, "macaddr8", 0},     {790, "money", 0},
    {829, "macaddr", 0},    {869, "inet", 0},         {1042, "bpchar", 0},
    {1043, "varchar", 0},   {1082, "date", 0},        {1083, "time", 0},
    {1114, "timestamp", 0}, {1184, "timestamptz", 0}, {1186, "interval", 0},
    {1266, "timetz", 0},    {1560, "bit", 0},         {1562, "varbit", 0},
    {1700, "numeric", 0},   {2249, "record", 0},      {2278, "void", 0},
    {2950, "uuid", 0},      {3220, "pg_lsn", 0},      {3614, "tsvector", 0},
    {3615, "tsquery", 0},   {3802, "jsonb", 0},       {3904, "int4range", 0},
    {3906, "numrange", 0},  {3908, "tsrange", 0},     {3910, "tstzrange", 0},
    {3912, "daterange", 0}, {3926, "int8range", 0},   {4072, "jsonpath", 0},
    {199, nullptr, 114},    {143, nullptr, 142},      {651, nullptr, 650},
    {791, nullptr, 790},    {1000, nullptr, 16},      {1001, nullptr, 17},
    {1002, nullptr, 18},    {1003, nullptr, 19},      {1005, nullptr, 21},
    {1007, nullptr, 23},    {1009, nullptr, 25},      {1014, nullptr, 1042},
    {1015, nullptr, 1043},  {1016, nullptr, 20},      {1021, nullptr, 700},
    {1022, nullptr, 701},   {1028, nullptr, 26},      {1040, nullptr, 829},
    {1041, nullptr, 869},   {1115, nullptr, 1114},    {1182, nullptr, 1082},
    {1183, nullptr, 1083},  {1185, nullptr, 1184},    {1187, nullptr, 1186},
    {1231, nullptr, 1700},  {1270, nullptr, 1266},    {1561, nullptr, 1560},
    {1563, nullptr, 1562},  {2951, nullptr, 2950},    {3807, nullptr, 3802},
};

const BuiltinType* findBuiltin(::Oid oid) {
    for (const auto& type : kBuiltinTypes)
        if (type.oid == oid) return &type;
    return nullptr;
}

// The modifier as format_type prints it: lengths, precision and scale.
std::string modifier(::Oid oid, int typmod) {
    if (typmod < 0) return {};
    switch (oid) {
        case kVarcharOid:
        case kBpcharOid:
            return typmod >= 4 ? "(" + std::to_string(typmod - 4) + ")" : std::string();
        case kNumericOid:
            if (typmod < 4) return {};
            return "(" + std::to_string(((typmod - 4) >> 16) & 0xffff) + "," +
                   std::to_string((typmod - 4) & 0xffff) + ")";
        case kTimeOid:
        case kTimeTzOid:
        case kTimestampOid:
        case kTimestampTzOid:
        case kBitOid:
        case kVarbitOid:
            return "(" + std::to_string(typmod) + ")";
        case kIntervalOid:  // the low 16 bits: precision, 0xffff for none
            return (typmod & 0xffff) == 0xffff ? std::string()
                                               : "(" + std::to_string(typmod & 0xffff) + ")";
        default:
            return {};
    }
}

}  // namespace

std::string builtinTypeName(::Oid oid, int typmod) {
    const BuiltinType* type = findBuiltin(oid);
    if (type == nullptr) return {};
    if (type->arrayOf == 0) return type->name + modifier(oid, typmod);
    const BuiltinType* element = findBuiltin(type->arrayOf);
    return element->name + modifier(element->oid, typmod) + "[]";
}

Param encode(const Value& value) {
    Param p;
    switch (value.type()) {
        case Type::Null:
            p.isNull = true;
            break;
        case Type::Bool:
            p.type = kBoolOid;
            p.bytes = value.asBool() ? "t" : "f";
            break;
        case Type::Int:
            p.type = kInt8Oid;
            p.bytes = std::to_string(value.asInt());
            break;
        case Type::Double:
            p.type = kFloat8Oid;
            p.bytes = encodeDouble(value.asDouble());
            break;
        case Type::Text:
            p.bytes = value.asText();
            break;
        case Type::Blob: {
            const Blob& blob = value.asBlob();
            p.type = kByteaOid;
            p.bytes.assign(blob.begin(), blob.end());
            p.binary = true;  // bytea in binary: no escaping, half the bytes of hex
            break;
        }
        case Type::Timestamp:
            // Untyped, in UTC with "+00": right for timestamp and timestamptz columns alike.
            p.bytes = value.asTimestamp().toString();
            p.bytes.back() = '+';
            p.bytes += "00";
            break;
    }
    return p;
}

void appendCopyField(const Value& value, std::string& out) {
    switch (value.type()) {
        case Type::Null:
            out += "\\N";
            return;
        case Type::Bool:
            out += value.asBool() ? 't' : 'f';
            return;
        case Type::Int: {
            char buf[24];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value.asInt());
            out.append(buf, end);
            return;
        }
        case Type::Double:
            out += encodeDouble(value.asDouble());
            return;
        case Type::Text: {
            // Runs without special characters are appended whole.
            std::string_view text = value.asText();
            for (std::size_t special;
                 (special = text.find_first_of("\\\t\n\r")) != std::string_view::npos;
                 text.remove_prefix(special + 1)) {
                out.append(text.substr(0, special));
                out += '\\';
                const char c = text[special];
                out += c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
            }
            out.append(text);
            return;
        }
        case Type::Blob: {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\\\x";  // bytea's hex form, its backslash escaped for COPY
            for (std::uint8_t b : value.asBlob()) {
                out += kHex[b >> 4];
                out += kHex[b & 0xF];
            }
            return;
        }
        case Type::Timestamp: {
            std::string text = value.asTimestamp().toString();
            text.back() = '+';  // UTC as "+00", as for bound parameters
            out += text;
            out += "00";
            return;
        }
    }
}

Value decode(::Oid oid, const char* text, int length, const ErrorFlavor& errors) {
    const std::string_view view(text, static_cast<std::size_t>(length));
    switch (oid) {
        case kBoolOid:
            return Value(view == "t");
        case kByteaOid:
            return Value(decodeBytea(view, errors));
        case kInt2Oid:
        case kInt4Oid:
        case kInt8Oid:
        case kOidOid: {
            std::int64_t i = 0;
            std::from_chars(view.data(), view.data() + view.size(), i);
            return Value(i);
        }
        case kFloat4Oid:
        case kFloat8Oid:
            return Value(decodeDouble(view));
        case kTimestampOid:
        case kTimestampTzOid:
            if (auto ts = Timestamp::parse(view)) return Value(*ts);
            return Value(std::string(view));  // infinity, BC dates: keep the text
        case kDateOid:  // "2024-01-02", "03:04:05.5": ISO text, as on the other engines
        case kTimeOid:
            return Value(std::string(view));
        case kNumericOid:
            return Value::fromDecimalText(view);
        default:
            return Value(std::string(view));
    }
}

}  // namespace plugdb::postgres
