// Reading a column's value into a C++ variable: the types Rows::scan,
// Rows::get<T> and row mapping (row_mapping.h) accept, and what each takes.
//
//   bool                       bool, or an int (non-zero is true, as Value::asBool)
//   integers of every width,   int, bool, a whole double, or text holding a whole
//   signed or unsigned         decimal (NUMERIC beyond 64 bits); checked against
//   (not char types)           the type's range
//   float, double              double, int, or text holding a decimal (NUMERIC
//                              with a fraction, which arrives as exact text)
//   std::string                text
//   plugdb::Blob               blob
//   plugdb::Timestamp          timestamp, or text Timestamp::parse reads (dates
//                              arrive as text "YYYY-MM-DD": midnight UTC)
//   std::chrono::sys_time<D>   the same as a Timestamp, in whole units of D
//   (system_clock::time_point,    (sys_days needs midnight; a time point in
//   sys_days, ...)                nanoseconds must fall in 1678-2262)
//   plugdb::Value              anything, NULL included
//   std::optional<T>           NULL as std::nullopt, anything else as T
//
// NULL into any other type, and a value the type cannot hold, throw
// plugdb::Error (invalid_argument) naming the column by index and name.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "plugdb/value.h"

namespace plugdb::detail {

// Where a value was read from, for errors.
struct ColumnSite {
    std::size_t index = 0;
    std::string_view name;
};

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

template <class T>
inline constexpr bool kIsSysTime = false;
template <class D>
inline constexpr bool kIsSysTime<std::chrono::time_point<std::chrono::system_clock, D>> = true;

// Integer types scan reads: not bool, and no character types (int8_t and
// uint8_t, which are signed and unsigned char, are integers).
template <class T>
inline constexpr bool kIsScanInteger =
    std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
    !std::is_same_v<T, wchar_t> && !std::is_same_v<T, char8_t> && !std::is_same_v<T, char16_t> &&
    !std::is_same_v<T, char32_t>;

// The type's name in errors: "int32_t", "std::string", ...
template <class T>
constexpr const char* scanTypeName() {
    if constexpr (std::is_same_v<T, bool>) {
        return "bool";
    } else if constexpr (kIsScanInteger<T>) {
        constexpr const char* kSigned[] = {"int8_t", "int16_t", "int32_t", "int64_t"};
        constexpr const char* kUnsigned[] = {"uint8_t", "uint16_t", "uint32_t", "uint64_t"};
        constexpr std::size_t slot = sizeof(T) == 1   ? 0
                                     : sizeof(T) == 2 ? 1
                                     : sizeof(T) == 4 ? 2
                                                      : 3;
        return std::is_signed_v<T> ? kSigned[slot] : kUnsigned[slot];
    } else if constexpr (std::is_same_v<T, float>) {
        return "float";
    } else if constexpr (std::is_same_v<T, double>) {
        return "double";
    } else if constexpr (std::is_same_v<T, std::string>) {
        return "std::string";
    } else if constexpr (std::is_same_v<T, Blob>) {
        return "plugdb::Blob";
    } else if constexpr (std::is_same_v<T, Timestamp>) {
        return "plugdb::Timestamp";
    } else if constexpr (kIsSysTime<T>) {
        return "std::chrono::sys_time";
    } else {
        return "this type";
    }
}

// Out of line (rows_scan.cpp); each refuses NULL naming `type`.
bool scanBool(const Value& value, const ColumnSite& site);
std::int64_t scanSigned(const Value& value, const ColumnSite& site, std::int64_t min,
                        std::int64_t max, const char* type);
std::uint64_t scanUnsigned(const Value& value, const ColumnSite& site, std::uint64_t max,
                           const char* type);
double scanDouble(const Value& value, const ColumnSite& site, const char* type);
float scanFloat(const Value& value, const ColumnSite& site);
std::string scanText(Value&& value, const ColumnSite& site);
Blob scanBlob(Value&& value, const ColumnSite& site);
Timestamp scanTimestamp(const Value& value, const ColumnSite& site, const char* type);
// The timestamp in ticks of num/den seconds since 1970, refused unless whole
// and within [min, max].
std::int64_t scanTicks(const Value& value, const ColumnSite& site, std::intmax_t num,
                       std::intmax_t den, std::int64_t min, std::int64_t max);

template <class>
inline constexpr bool kAlwaysFalse = false;

// The value of one column as T (see the table above).
template <class T>
T readColumn(Value&& value, const ColumnSite& site) {
    if constexpr (kIsOptional<T>) {
        if (value.isNull()) return std::nullopt;
        return readColumn<typename T::value_type>(std::move(value), site);
    } else if constexpr (std::is_same_v<T, Value>) {
        return std::move(value);
    } else if constexpr (std::is_same_v<T, bool>) {
        return scanBool(value, site);
    } else if constexpr (kIsScanInteger<T>) {
        if constexpr (std::is_signed_v<T>)
            return static_cast<T>(scanSigned(value, site, std::numeric_limits<T>::min(),
                                             std::numeric_limits<T>::max(), scanTypeName<T>()));
        else
            return static_cast<T>(
                scanUnsigned(value, site, std::numeric_limits<T>::max(), scanTypeName<T>()));
    } else if constexpr (std::is_same_v<T, double>) {
        return scanDouble(value, site, "double");
    } else if constexpr (std::is_same_v<T, float>) {
        return scanFloat(value, site);
    } else if constexpr (std::is_same_v<T, std::string>) {
        return scanText(std::move(value), site);
    } else if constexpr (std::is_same_v<T, Blob>) {
        return scanBlob(std::move(value), site);
    } else if constexpr (std::is_same_v<T, Timestamp>) {
        return scanTimestamp(value, site, "plugdb::Timestamp");
    } else if constexpr (kIsSysTime<T>) {
        using Duration = typename T::duration;
        using Rep = typename Duration::rep;
        static_assert(std::is_integral_v<Rep> && sizeof(Rep) <= sizeof(std::int64_t),
                      "plugdb: a time point is read in whole ticks of a 64-bit integer or less");
        const std::int64_t ticks = scanTicks(
            value, site, Duration::period::num, Duration::period::den,
            std::numeric_limits<Rep>::min(),
            static_cast<std::int64_t>(std::min<std::uintmax_t>(
                std::numeric_limits<Rep>::max(), std::numeric_limits<std::int64_t>::max())));
        return T(Duration(static_cast<Rep>(ticks)));
    } else {
        static_assert(kAlwaysFalse<T>,
                      "plugdb: this type cannot be read from a column; plugdb/scan.h lists "
                      "the types that can");
    }
}

}  // namespace plugdb::detail
