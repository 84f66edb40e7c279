// Driver options (the URL query and db.options.*), declared by the driver and
// checked once by core before connect: an unknown option or a value that does
// not fit its kind is a config error naming the option, the value and what
// is accepted, so drivers never write that refusal themselves.
//
// An extension interface (docs/writing-a-driver.md): a driver's Driver class
// may also inherit DriverOptionsProvider; core finds it with dynamic_cast. A
// driver without it receives every option unchecked and checks them itself.
//
// Frozen like the structs in driver.h: a later addition comes as a new
// interface, so plugins built against this header keep loading.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/driver.h"

namespace plugdb {

struct DriverOption {
    enum class Kind {
        Text,      // any text, or one of `choices`
        Bool,      // 1/0, true/false, on/off, yes/no (any case)
        Int,       // a whole number from min to max
        Duration,  // "250ms", "5s", "2m", "1h30m", or a bare number of `bareUnit`s; min..max ms
    };
    std::string name{};
    Kind kind = Kind::Text;
    std::string description{};  // one line: what it does
    // Text: the accepted values, compared without regard to case; empty: any text.
    std::vector<std::string> choices{};
    std::int64_t min = std::numeric_limits<std::int64_t>::min();
    std::int64_t max = std::numeric_limits<std::int64_t>::max();
    std::chrono::milliseconds bareUnit{1000};  // Duration: what a bare number counts
    // The value that asks for a read-only open ("true" for a Bool option, a
    // choice for Text), so core creates nothing for it; empty: none.
    std::string readOnlyValue{};
};

struct DriverOptions {
    std::vector<DriverOption> options{};
    // True for drivers whose options go to the engine: options not declared
    // pass through unchecked (declared ones are still checked).
    bool passUnknownOptions = false;
};

// Implemented by a Driver that declares its options.
class DriverOptionsProvider {
public:
    virtual ~DriverOptionsProvider();
    virtual const DriverOptions& driverOptions() const = 0;
};

// The options `driver` declares, or nullptr when it declares none.
const DriverOptions* declaredOptions(const Driver& driver);

// Throws plugdb::Error (config) for the first option of `source` that is not
// declared (unless passed through) or whose value does not fit its declaration;
// the message starts with `driverName` and names the option and the value
// (masked when the option's name says it is a secret).
void checkOptions(const std::string& driverName, const DriverOptions& declared,
                  const DataSource& source);

// True when an option of `source` asks for a read-only open (DriverOption::readOnlyValue).
bool requestsReadOnly(const DriverOptions& declared, const DataSource& source);

// The parsers checkOptions uses, for drivers reading the values it accepted.
std::optional<bool> parseOptionBool(std::string_view text);
std::optional<std::int64_t> parseOptionInt(std::string_view text);
std::optional<std::chrono::milliseconds> parseOptionDuration(std::string_view text,
                                                             std::chrono::milliseconds bareUnit);

}  // namespace plugdb
