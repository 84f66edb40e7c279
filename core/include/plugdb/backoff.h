// Capped exponential backoff with jitter: the one rule for waiting between
// attempts (connecting, transaction retries, serve's open loop, polling for a
// lock).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace plugdb {

class Config;

class Backoff {
public:
    using Clock = std::chrono::steady_clock;

    // Negative durations count as zero; a max below initial caps initial too.
    Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max);

    // From the PREFIX_initial and PREFIX_max duration keys of the settings
    // table ("connect.backoff" reads connect.backoff_initial and _max).
    // Throws plugdb::Error (config) for a value that is not a duration.
    static Backoff fromConfig(const Config& config, const std::string& prefix);

    // The wait after `failures` failed attempts (1 for the first): initial
    // doubled per further failure up to max, jittered into [wait/2, wait] so
    // clients that failed together do not retry in step.
    std::chrono::milliseconds delayAfter(int failures) const;

    // delayAfter(failures), or null when waiting it would pass `deadline`.
    std::optional<std::chrono::milliseconds> delayBefore(int failures,
                                                         Clock::time_point deadline) const;

    std::chrono::milliseconds initial() const { return initial_; }
    std::chrono::milliseconds max() const { return max_; }

private:
    std::chrono::milliseconds initial_;
    std::chrono::milliseconds max_;
};

}  // namespace plugdb
