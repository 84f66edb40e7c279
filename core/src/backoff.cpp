#include "plugdb/backoff.h"

#include <algorithm>
#include <random>

#include "plugdb/settings.h"

namespace plugdb {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
    : initial_(std::max(initial, std::chrono::milliseconds(0))),
      max_(std::max(max, std::chrono::milliseconds(0))) {
    initial_ = std::min(initial_, max_);
}

Backoff Backoff::fromConfig(const Config& config, const std::string& prefix) {
    return Backoff(settings::duration(config, prefix + "_initial"),
                   settings::duration(config, prefix + "_max"));
}

std::chrono::milliseconds Backoff::delayAfter(int failures) const {
    auto wait = initial_;
    for (int i = 1; i < failures && wait < max_; ++i) wait *= 2;
    wait = std::min(wait, max_);
    thread_local std::mt19937 random(std::random_device{}());
    const auto half = wait.count() / 2;
    return std::chrono::milliseconds(
        half + std::uniform_int_distribution<long long>(0, wait.count() - half)(random));
}

std::optional<std::chrono::milliseconds> Backoff::delayBefore(int failures,
                                                              Clock::time_point deadline) const {
    const auto delay = delayAfter(failures);
    if (Clock::now() + delay > deadline) return std::nullopt;
    return delay;
}

}  // namespace plugdb
