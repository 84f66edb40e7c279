// Retrying with capped exponential backoff and jitter, for connecting and for
// transact(): one rule for both.
#pragma once

#include <algorithm>
#include <chrono>
#include <random>
#include <string>

#include "plugdb/config.h"

namespace plugdb::detail {

struct RetryPolicy {
    int attempts = 1;  // runs in all, the first included
    std::chrono::milliseconds initial{0};
    std::chrono::milliseconds max{0};

    // From an attempts key and the PREFIX_initial / PREFIX_max duration keys.
    static RetryPolicy fromConfig(const Config& config, const std::string& attemptsKey,
                                  const std::string& backoffPrefix, RetryPolicy defaults) {
        return {config.getInt(attemptsKey, defaults.attempts, 1),
                config.getDuration(backoffPrefix + "_initial", defaults.initial),
                config.getDuration(backoffPrefix + "_max", defaults.max)};
    }

    // The wait after failed attempt `attempt` (1-based): initial doubled per
    // attempt up to max, jittered into [wait/2, wait] so clients that failed
    // together do not retry in step.
    std::chrono::milliseconds delayAfter(int attempt) const {
        auto wait = initial;
        for (int i = 1; i < attempt && wait < max; ++i) wait *= 2;
        wait = std::min(wait, max);
        thread_local std::mt19937 random(std::random_device{}());
        const auto half = wait.count() / 2;
        return std::chrono::milliseconds(
            half + std::uniform_int_distribution<long long>(0, wait.count() - half)(random));
    }
};

}  // namespace plugdb::detail
