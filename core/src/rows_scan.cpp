// Reading column values into C++ variables (plugdb/scan.h): each conversion
// and its error, which names the column.
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "plugdb/error.h"
#include "plugdb/rows.h"
#include "plugdb/scan.h"

namespace plugdb {
namespace detail {
namespace {

// Wide enough for microseconds times any std::ratio denominator.
__extension__ typedef __int128 WideInt;

std::string columnName(const ColumnSite& site) {
    std::string text = "column ";
    if (!site.name.empty()) text += "'" + std::string(site.name) + "' ";
    return text + "(index " + std::to_string(site.index) + ")";
}

[[noreturn]] void columnError(const ColumnSite& site, const std::string& problem) {
    throw Error(ErrorCategory::InvalidArgument, columnName(site) + ": " + problem);
}

[[noreturn]] void wrongType(const Value& value, const ColumnSite& site, const char* type) {
    if (value.isNull())
        columnError(site, std::string("cannot read NULL into ") + type +
                              "; read it into std::optional<" + type + ">");
    columnError(site,
                std::string("cannot read a ") + toString(value.type()) + " value into " + type);
}

[[noreturn]] void outOfRange(const ColumnSite& site, const std::string& number, const char* type,
                             const std::string& min, const std::string& max) {
    columnError(site, number + " is out of range for " + type + " (" + min + " to " + max + ")");
}

// Text that is a whole decimal number (NUMERIC beyond 64 bits arrives so).
template <class I>
bool wholeFromText(const std::string& text, I& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}

bool isWholeDecimal(const std::string& text) {
    std::size_t start = !text.empty() && text.front() == '-' ? 1 : 0;
    if (start == text.size()) return false;
    for (std::size_t i = start; i < text.size(); ++i)
        if (text[i] < '0' || text[i] > '9') return false;
    return true;
}

// The value as a whole number in `out`; false for text holding a whole
// decimal, which the caller parses for its range. Refuses anything else.
bool wholeNumber(const Value& value, const ColumnSite& site, const char* type, long double& out) {
    switch (value.type()) {
        case Type::Int:
        case Type::Bool:
            out = static_cast<long double>(value.asInt());
            return true;
        case Type::Double: {
            const double d = value.asDouble();
            if (!std::isfinite(d) || std::trunc(d) != d) {
                std::string shown = value.toString();
                columnError(site, "the double " + shown +
                                      " is not a whole number; cannot read it into " + type);
            }
            out = d;
            return true;
        }
        case Type::Text:
            if (!isWholeDecimal(value.asText())) wrongType(value, site, type);
            return false;
        default:
            wrongType(value, site, type);
    }
}

}  // namespace

bool scanBool(const Value& value, const ColumnSite& site) {
    if (value.type() != Type::Bool && value.type() != Type::Int) wrongType(value, site, "bool");
    return value.asBool();
}

std::int64_t scanSigned(const Value& value, const ColumnSite& site, std::int64_t min,
                        std::int64_t max, const char* type) {
    long double number = 0;
    std::int64_t whole = 0;
    if (!wholeNumber(value, site, type, number)) {
        if (!wholeFromText(value.asText(), whole))
            outOfRange(site, value.asText(), type, std::to_string(min), std::to_string(max));
        number = static_cast<long double>(whole);
    }
    if (number < static_cast<long double>(min) || number > static_cast<long double>(max))
        outOfRange(site, value.toString(), type, std::to_string(min), std::to_string(max));
    return static_cast<std::int64_t>(number);
}

std::uint64_t scanUnsigned(const Value& value, const ColumnSite& site, std::uint64_t max,
                           const char* type) {
    long double number = 0;
    if (!wholeNumber(value, site, type, number)) {
        std::uint64_t whole = 0;
        if (!wholeFromText(value.asText(), whole))
            outOfRange(site, value.asText(), type, "0", std::to_string(max));
        if (whole > max) outOfRange(site, value.asText(), type, "0", std::to_string(max));
        return whole;
    }
    if (number < 0 || number > static_cast<long double>(max))
        outOfRange(site, value.toString(), type, "0", std::to_string(max));
    return static_cast<std::uint64_t>(number);
}

double scanDouble(const Value& value, const ColumnSite& site, const char* type) {
    switch (value.type()) {
        case Type::Double:
        case Type::Int:
            return value.asDouble();
        case Type::Text: {
            const std::string& text = value.asText();
            double number = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
            if (ec == std::errc{} && end == text.data() + text.size() && std::isfinite(number))
                return number;
            if (ec == std::errc::result_out_of_range)
                columnError(site, "the decimal " + text + " is out of range for " + type);
            columnError(
                site,
                std::string("cannot read a text value that is not a decimal number into ") + type);
        }
        default:
            wrongType(value, site, type);
    }
}

float scanFloat(const Value& value, const ColumnSite& site) {
    const double number = scanDouble(value, site, "float");
    if (std::isfinite(number) && std::abs(number) > std::numeric_limits<float>::max())
        columnError(site, value.toString() + " is out of range for float");
    return static_cast<float>(number);
}

std::string scanText(Value&& value, const ColumnSite& site) {
    if (value.type() != Type::Text) wrongType(value, site, "std::string");
    return std::move(value).asText();
}

Blob scanBlob(Value&& value, const ColumnSite& site) {
    if (value.type() != Type::Blob) wrongType(value, site, "plugdb::Blob");
    return std::move(value).asBlob();
}

Timestamp scanTimestamp(const Value& value, const ColumnSite& site, const char* type) {
    if (value.type() == Type::Timestamp) return value.asTimestamp();
    if (value.type() == Type::Text) {
        if (auto parsed = Timestamp::parse(value.asText())) return *parsed;
        columnError(site,
                    std::string("cannot read text that is not a date or timestamp into ") + type);
    }
    wrongType(value, site, type);
}

std::int64_t scanTicks(const Value& value, const ColumnSite& site, std::intmax_t num,
                       std::intmax_t den, std::int64_t min, std::int64_t max) {
    const Timestamp timestamp = scanTimestamp(value, site, "std::chrono::sys_time");
    // ticks = micros / 10^6 * den / num, exactly.
    const WideInt scaled = static_cast<WideInt>(timestamp.micros) * den;
    const WideInt divisor = static_cast<WideInt>(num) * 1'000'000;
    if (scaled % divisor != 0)
        columnError(site, "the timestamp " + timestamp.toString() +
                              " is not a whole number of the time point's units");
    const WideInt ticks = scaled / divisor;
    if (ticks < min || ticks > max)
        columnError(site,
                    "the timestamp " + timestamp.toString() + " is out of the time point's range");
    return static_cast<std::int64_t>(ticks);
}

}  // namespace detail

void Rows::requireScanCount(std::size_t variables) const {
    const auto& cols = columns();
    if (variables == cols.size()) return;
    std::string names;
    for (const Column& column : cols) names += (names.empty() ? "" : ", ") + column.name;
    throw Error(ErrorCategory::InvalidArgument,
                "scan: " + std::to_string(variables) + " variable" + (variables == 1 ? "" : "s") +
                    " for " + std::to_string(cols.size()) + " column" +
                    (cols.size() == 1 ? "" : "s") + (names.empty() ? "" : " (" + names + ")"));
}

}  // namespace plugdb
