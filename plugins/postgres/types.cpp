#include "types.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "plugdb/error.h"

namespace plugdb::postgres {
namespace {

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// bytea's hex output: "\x0aff..."
Blob decodeBytea(const char* text, int length) {
    Blob out;
    if (length < 2 || text[0] != '\\' || text[1] != 'x') return out;
    out.reserve(static_cast<std::size_t>(length - 2) / 2);
    for (int i = 2; i + 1 < length; i += 2)
        out.push_back(static_cast<std::uint8_t>(hexDigit(text[i]) * 16 + hexDigit(text[i + 1])));
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

Value decode(::Oid oid, const char* text, int length) {
    const std::string_view view(text, static_cast<std::size_t>(length));
    switch (oid) {
        case kBoolOid:
            return Value(view == "t");
        case kByteaOid:
            return Value(decodeBytea(text, length));
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
