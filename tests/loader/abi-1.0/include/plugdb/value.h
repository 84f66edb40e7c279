// Plain value model shared by the public API and the plugin ABI.
// Holds no Poco types: a plugin converts to and from these at its edge.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace plugdb {

using Blob = std::vector<std::uint8_t>;

// A point in time: microseconds since the Unix epoch, UTC. Engines without a
// zoned type store and return UTC; an input offset is applied when parsing.
struct Timestamp {
    std::int64_t micros = 0;

    // ISO 8601 in UTC with microseconds: "2024-01-31 12:00:00.123456Z".
    std::string toString() const;
    // Accepts "YYYY-MM-DD[ T]HH:MM:SS[.ffffff][Z|+HH[:MM]|-HH[:MM]]" and "YYYY-MM-DD".
    static std::optional<Timestamp> parse(std::string_view text);

    friend bool operator==(Timestamp, Timestamp) = default;
    friend auto operator<=>(Timestamp, Timestamp) = default;
};

// The enumerators deliberately share names with the types they describe.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
enum class Type : std::uint8_t { Null, Bool, Int, Double, Text, Blob, Timestamp };
#pragma GCC diagnostic pop

const char* toString(Type type);

class Value {
public:
    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : v_(b) {}
    template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>) Value(I i) : v_(checkedInt(i)) {}
    Value(double d) : v_(d) {}
    Value(const char* s) : v_(std::string(s)) {}
    Value(std::string s) : v_(std::move(s)) {}
    Value(std::string_view s) : v_(std::string(s)) {}
    Value(Blob b) : v_(std::move(b)) {}
    Value(Timestamp t) : v_(t) {}
    template <class T>
    Value(const std::optional<T>& o) {
        if (o) *this = Value(*o);
    }

    // An exact decimal from an engine (NUMERIC, DECIMAL): a whole number that
    // fits is an Int, as SUM and COUNT of integers are on every engine; anything
    // else stays exact text rather than a rounded double.
    static Value fromDecimalText(std::string_view text);

    Type type() const { return static_cast<Type>(v_.index()); }
    bool isNull() const { return type() == Type::Null; }

    // Typed access; throws plugdb::Error (invalid_argument) on NULL or a type
    // that cannot be converted without loss of meaning.
    bool asBool() const;
    std::int64_t asInt() const;
    double asDouble() const;
    const std::string& asText() const&;
    const Blob& asBlob() const&;
    // On a temporary Value, the text or bytes are moved out instead of copied.
    std::string asText() &&;
    Blob asBlob() &&;
    Timestamp asTimestamp() const;

    // Human-readable rendering for tables and logs (NULL prints as "NULL").
    std::string toString() const;

    friend bool operator==(const Value&, const Value&) = default;

private:
    template <class I>
    static std::int64_t checkedInt(I i) {
        if constexpr (std::is_unsigned_v<I> && sizeof(I) >= sizeof(std::int64_t)) {
            if (i > static_cast<I>(INT64_MAX)) throwOutOfRange();
        }
        return static_cast<std::int64_t>(i);
    }
    [[noreturn]] static void throwOutOfRange();

    std::variant<std::monostate, bool, std::int64_t, double, std::string, Blob, Timestamp> v_;
};

}  // namespace plugdb
