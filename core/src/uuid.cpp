#include "plugdb/uuid.h"

#include <sys/random.h>

#include <chrono>
#include <system_error>

namespace plugdb {
namespace {

// getrandom keeps working after fork, unlike a generator seeded once per process.
void fillRandom(std::uint8_t* out, std::size_t size) {
    while (size > 0) {
        const ssize_t got = getrandom(out, size, 0);
        if (got < 0) {
            if (errno == EINTR) continue;
            throw std::system_error(errno, std::generic_category(), "getrandom");
        }
        out += got;
        size -= static_cast<std::size_t>(got);
    }
}

std::int64_t systemMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::string toString(const Uuid& uuid) {
    static const char* const kHex = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < uuid.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
        text += kHex[uuid[i] >> 4];
        text += kHex[uuid[i] & 0x0f];
    }
    return text;
}

std::int64_t uuidV7Millis(const Uuid& uuid) {
    std::int64_t millis = 0;
    for (std::size_t i = 0; i < 6; ++i) millis = (millis << 8) | uuid[i];
    return millis;
}

UuidV7Generator::UuidV7Generator() : UuidV7Generator(systemMillis) {}
UuidV7Generator::UuidV7Generator(Clock clock) : clock_(std::move(clock)) {}

Uuid UuidV7Generator::next() {
    Uuid uuid{};
    fillRandom(uuid.data(), uuid.size());
    std::int64_t millis = 0;
    std::uint16_t counter = 0;
    {
        std::lock_guard lock(mutex_);
        const std::int64_t now = clock_();
        if (now > lastMillis_) {
            lastMillis_ = now;
            // A random start below half the range leaves room for 2048+ ids per millisecond.
            counter_ = static_cast<std::uint16_t>(((uuid[6] << 8) | uuid[7]) & 0x07ff);
        } else if (counter_ < 0x0fff) {
            ++counter_;  // same millisecond, or the clock stepped back: stay ahead of the last id
        } else {
            ++lastMillis_;
            counter_ = 0;
        }
        millis = lastMillis_;
        counter = counter_;
    }
    for (int i = 5; i >= 0; --i) {
        uuid[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(millis & 0xff);
        millis >>= 8;
    }
    uuid[6] = static_cast<std::uint8_t>(0x70 | (counter >> 8));  // version 7
    uuid[7] = static_cast<std::uint8_t>(counter & 0xff);
    uuid[8] = static_cast<std::uint8_t>(0x80 | (uuid[8] & 0x3f));  // variant 10
    return uuid;
}

std::string newUuidV7() {
    static UuidV7Generator generator;
    return generator.nextString();
}

}  // namespace plugdb
