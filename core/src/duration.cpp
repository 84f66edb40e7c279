#include "plugdb/duration.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "ascii_text.h"
#include "duration_detail.h"

namespace plugdb {
namespace {

using ascii::isDigit;

// The duration in milliseconds, not yet rounded.
std::optional<long double> durationMillis(std::string_view text) {
    text = ascii::trim(text);
    if (text.empty()) return std::nullopt;
    constexpr long double kMaxMillis = 9.2e18L;  // below INT64_MAX, leaving room for rounding
    if (std::all_of(text.begin(), text.end(), isDigit)) {
        if (text.size() > 16) return std::nullopt;
        const long double seconds = std::stold(std::string(text));
        if (seconds * 1000 > kMaxMillis) return std::nullopt;
        return seconds * 1000;
    }
    long double total = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t numberStart = i;
        while (i < text.size() && isDigit(text[i])) ++i;
        const bool hasInteger = i > numberStart;
        bool hasFraction = false;
        if (i < text.size() && text[i] == '.') {
            ++i;
            const std::size_t fractionStart = i;
            while (i < text.size() && isDigit(text[i])) ++i;
            hasFraction = i > fractionStart;
        }
        if (!hasInteger && !hasFraction) return std::nullopt;
        const std::string_view number = text.substr(numberStart, i - numberStart);
        if (number.size() > 30) return std::nullopt;

        long double unitMillis = 0;
        if (text.substr(i).starts_with("ms")) {
            unitMillis = 1;
            i += 2;
        } else if (i < text.size() && (text[i] == 's' || text[i] == 'm' || text[i] == 'h')) {
            unitMillis = text[i] == 's' ? 1000 : text[i] == 'm' ? 60'000 : 3'600'000;
            ++i;
        } else {
            return std::nullopt;  // unknown or missing unit
        }
        total += std::stold(std::string(number)) * unitMillis;
        if (total > kMaxMillis) return std::nullopt;
    }
    return total;
}

bool belowResolution(long double millis) {
    return millis > 0 && std::llround(millis) == 0;
}

}  // namespace

std::optional<std::chrono::milliseconds> parseDuration(std::string_view text) {
    const auto millis = durationMillis(text);
    if (!millis || belowResolution(*millis)) return std::nullopt;
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(*millis)));
}

namespace detail {

bool isBelowDurationResolution(std::string_view text) {
    const auto millis = durationMillis(text);
    return millis && belowResolution(*millis);
}

}  // namespace detail
}  // namespace plugdb
