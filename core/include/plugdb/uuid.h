// UUID version 7 (RFC 9562): a 48-bit Unix millisecond timestamp followed by
// random bits, so ids sort by creation time and index well as primary keys.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace plugdb {

using Uuid = std::array<std::uint8_t, 16>;

// Canonical lower-case text: 8-4-4-4-12 hexadecimal digits.
std::string toString(const Uuid& uuid);
// The Unix time in milliseconds a version 7 UUID carries.
std::int64_t uuidV7Millis(const Uuid& uuid);

// Generates version 7 UUIDs that increase strictly within one generator, also
// for many ids in one millisecond and when the clock steps back: the 12-bit
// rand_a field is a counter (RFC 9562 section 6.2, method 1) started at a
// random value below 2048 each millisecond; when it runs out the timestamp
// moves one millisecond ahead. Thread-safe.
class UuidV7Generator {
public:
    using Clock = std::function<std::int64_t()>;  // Unix time in milliseconds
    UuidV7Generator();
    explicit UuidV7Generator(Clock clock);

    Uuid next();
    std::string nextString() { return toString(next()); }

private:
    Clock clock_;
    std::mutex mutex_;
    std::int64_t lastMillis_ = -1;
    std::uint16_t counter_ = 0;
};

// A new id from the process-wide generator, as text.
std::string newUuidV7();

}  // namespace plugdb
