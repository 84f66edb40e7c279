#include "plugdb/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "plugdb/error.h"

namespace plugdb {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

// Reads exactly `width` digits at `pos`.
bool readDigits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + width, out);
    if (ec != std::errc{} || ptr != text.data() + pos + width) return false;
    pos += width;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
    if (pos < text.size() && text[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

[[noreturn]] void wrongType(Type actual, const char* wanted) {
    if (actual == Type::Null)
        throw Error(ErrorCategory::InvalidArgument,
                    std::string("value is NULL, expected ") + wanted);
    throw Error(ErrorCategory::InvalidArgument,
                std::string("value is ") + toString(actual) + ", expected " + wanted);
}

}  // namespace

std::string Timestamp::toString() const {
    std::int64_t seconds = micros / kMicrosPerSecond;
    std::int64_t fraction = micros % kMicrosPerSecond;
    if (fraction < 0) {
        fraction += kMicrosPerSecond;
        --seconds;
    }
    std::int64_t days = seconds / kSecondsPerDay;
    std::int64_t secondOfDay = seconds % kSecondsPerDay;
    if (secondOfDay < 0) {
        secondOfDay += kSecondsPerDay;
        --days;
    }
    std::int64_t year;
    unsigned month, day;
    civilFromDays(days, year, month, day);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld.%06lldZ",
                  static_cast<long long>(year), month, day,
                  static_cast<long long>(secondOfDay / 3600),
                  static_cast<long long>(secondOfDay / 60 % 60),
                  static_cast<long long>(secondOfDay % 60), static_cast<long long>(fraction));
    return buf;
}

std::optional<Timestamp> Timestamp::parse(std::string_view text) {
    std::size_t pos = 0;
    int year, month, day, hour = 0, minute = 0, second = 0;
    if (!readDigits(text, pos, 4, year) || !expect(text, pos, '-') ||
        !readDigits(text, pos, 2, month) || !expect(text, pos, '-') ||
        !readDigits(text, pos, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
    std::int64_t fractionMicros = 0;
    int offsetSeconds = 0;
    if (pos < text.size()) {
        if (text[pos] != ' ' && text[pos] != 'T' && text[pos] != 't') return std::nullopt;
        ++pos;
        if (!readDigits(text, pos, 2, hour) || !expect(text, pos, ':') ||
            !readDigits(text, pos, 2, minute))
            return std::nullopt;
        if (expect(text, pos, ':') && !readDigits(text, pos, 2, second)) return std::nullopt;
        if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
        if (expect(text, pos, '.')) {
            std::size_t digits = 0;
            while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
                if (digits < 6) fractionMicros = fractionMicros * 10 + (text[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0) return std::nullopt;
            for (std::size_t i = digits; i < 6; ++i) fractionMicros *= 10;
        }
        if (pos < text.size() && text[pos] == ' ') ++pos;  // "... 12:00:00 +02:00"
        if (pos < text.size()) {
            const char sign = text[pos];
            if (sign == 'Z' || sign == 'z') {
                ++pos;
            } else if (sign == '+' || sign == '-') {
                ++pos;
                int offHours = 0, offMinutes = 0;
                if (!readDigits(text, pos, 2, offHours)) return std::nullopt;
                if (expect(text, pos, ':')) {
                    if (!readDigits(text, pos, 2, offMinutes)) return std::nullopt;
                } else if (pos < text.size()) {
                    if (!readDigits(text, pos, 2, offMinutes)) return std::nullopt;
                }
                offsetSeconds = (offHours * 3600 + offMinutes * 60) * (sign == '-' ? -1 : 1);
            } else {
                return std::nullopt;
            }
        }
        if (pos != text.size()) return std::nullopt;
    }
    const std::int64_t days =
        daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
    const std::int64_t seconds =
        days * kSecondsPerDay + hour * 3600 + minute * 60 + second - offsetSeconds;
    return Timestamp{seconds * kMicrosPerSecond + fractionMicros};
}

const char* toString(Type type) {
    switch (type) {
        case Type::Null:
            return "null";
        case Type::Bool:
            return "bool";
        case Type::Int:
            return "int";
        case Type::Double:
            return "double";
        case Type::Text:
            return "text";
        case Type::Blob:
            return "blob";
        case Type::Timestamp:
            return "timestamp";
    }
    return "unknown";
}

void Value::throwOutOfRange() {
    throw Error(ErrorCategory::InvalidArgument,
                "unsigned value does not fit in a signed 64-bit integer");
}

bool Value::asBool() const {
    switch (type()) {
        case Type::Bool:
            return std::get<bool>(v_);
        case Type::Int:
            return std::get<std::int64_t>(v_) != 0;
        default:
            wrongType(type(), "bool");
    }
}

std::int64_t Value::asInt() const {
    switch (type()) {
        case Type::Int:
            return std::get<std::int64_t>(v_);
        case Type::Bool:
            return std::get<bool>(v_) ? 1 : 0;
        case Type::Double: {
            const double d = std::get<double>(v_);
            // Only integral doubles in range convert: never silently truncate.
            if (std::trunc(d) == d && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18)
                return static_cast<std::int64_t>(d);
            wrongType(type(), "int (the double has a fraction or is out of range)");
        }
        default:
            wrongType(type(), "int");
    }
}

double Value::asDouble() const {
    switch (type()) {
        case Type::Double:
            return std::get<double>(v_);
        case Type::Int:
            return static_cast<double>(std::get<std::int64_t>(v_));
        default:
            wrongType(type(), "double");
    }
}

Value Value::fromDecimalText(std::string_view text) {
    std::int64_t whole = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), whole);
    if (ec == std::errc{} && end == text.data() + text.size()) return Value(whole);
    return Value(std::string(text));
}

const std::string& Value::asText() const& {
    if (type() != Type::Text) wrongType(type(), "text");
    return std::get<std::string>(v_);
}

std::string Value::asText() && {
    if (type() != Type::Text) wrongType(type(), "text");
    return std::move(std::get<std::string>(v_));
}

const Blob& Value::asBlob() const& {
    if (type() != Type::Blob) wrongType(type(), "blob");
    return std::get<Blob>(v_);
}

Blob Value::asBlob() && {
    if (type() != Type::Blob) wrongType(type(), "blob");
    return std::move(std::get<Blob>(v_));
}

Timestamp Value::asTimestamp() const {
    if (type() == Type::Timestamp) return std::get<Timestamp>(v_);
    if (type() == Type::Text) {
        if (auto parsed = Timestamp::parse(std::get<std::string>(v_))) return *parsed;
        throw Error(ErrorCategory::InvalidArgument,
                    "text '" + std::get<std::string>(v_) + "' is not a timestamp");
    }
    wrongType(type(), "timestamp");
}

std::string Value::toString() const {
    switch (type()) {
        case Type::Null:
            return "NULL";
        case Type::Bool:
            return std::get<bool>(v_) ? "true" : "false";
        case Type::Int:
            return std::to_string(std::get<std::int64_t>(v_));
        case Type::Double: {
            char buf[32];
            auto [end, ec] = std::to_chars(buf, buf + sizeof buf, std::get<double>(v_));
            return std::string(buf, ec == std::errc{} ? end : buf);
        }
        case Type::Text:
            return std::get<std::string>(v_);
        case Type::Blob: {
            static constexpr char kHex[] = "0123456789abcdef";
            const Blob& blob = std::get<Blob>(v_);
            std::string out = "\\x";
            out.reserve(2 + blob.size() * 2);
            for (std::uint8_t byte : blob) {
                out += kHex[byte >> 4];
                out += kHex[byte & 0xf];
            }
            return out;
        }
        case Type::Timestamp:
            return std::get<Timestamp>(v_).toString();
    }
    return {};
}

}  // namespace plugdb
