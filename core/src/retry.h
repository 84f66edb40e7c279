// Retrying with capped exponential backoff and jitter (plugdb::Backoff), for
// connecting and for transact(): one rule for both.
#pragma once

#include <chrono>
#include <string>

#include "plugdb/backoff.h"
#include "plugdb/config.h"
#include "plugdb/settings.h"

namespace plugdb::detail {

struct RetryPolicy {
    int attempts = 1;  // runs in all, the first included
    std::chrono::milliseconds initial{0};
    std::chrono::milliseconds max{0};

    // From an attempts key and the PREFIX_initial / PREFIX_max duration keys,
    // with the settings table's defaults.
    static RetryPolicy fromConfig(const Config& config, const std::string& attemptsKey,
                                  const std::string& backoffPrefix) {
        const Backoff backoff = Backoff::fromConfig(config, backoffPrefix);
        return {settings::integer(config, attemptsKey), backoff.initial(), backoff.max()};
    }
    // The wait after failed attempt `attempt` (1-based); see Backoff::delayAfter.
    std::chrono::milliseconds delayAfter(int attempt) const {
        return Backoff(initial, max).delayAfter(attempt);
    }
};

}  // namespace plugdb::detail
