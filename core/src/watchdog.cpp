#include "watchdog.h"

namespace plugdb::detail {

Watchdog::~Watchdog() {
    if (thread_.joinable()) {
        thread_.request_stop();
        thread_.join();
    }
}

Watchdog::Ticket::Ticket(Watchdog& watchdog, Connection& connection,
                         std::chrono::milliseconds timeout)
    : watchdog_(watchdog), connection_(connection) {
    std::lock_guard lock(watchdog_.mutex_);
    position_ = watchdog_.deadlines_.emplace(Clock::now() + timeout, this);
    armed_ = true;
    if (!watchdog_.thread_.joinable())
        watchdog_.thread_ = std::jthread([&w = watchdog_](std::stop_token stop) { w.loop(stop); });
    if (position_ == watchdog_.deadlines_.begin()) {
        ++watchdog_.earliestChanges_;
        watchdog_.wake_.notify_one();
    }
}

void Watchdog::Ticket::disarm() {
    std::lock_guard lock(watchdog_.mutex_);
    if (!armed_) return;
    watchdog_.deadlines_.erase(position_);
    armed_ = false;
}

void Watchdog::loop(std::stop_token stop) {
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        if (deadlines_.empty()) {
            wake_.wait(lock, stop, [&] { return !deadlines_.empty(); });
            continue;
        }
        const auto [deadline, ticket] = *deadlines_.begin();
        if (Clock::now() < deadline) {
            const auto seen = earliestChanges_;
            wake_.wait_until(lock, stop, deadline, [&] { return earliestChanges_ != seen; });
            continue;  // the deadline passed, or an earlier one arrived
        }
        deadlines_.erase(deadlines_.begin());
        ticket->armed_ = false;
        ticket->fired_ = true;
        // Under the lock, so a ticket's disarm() cannot return while its
        // connection is being interrupted.
        try {
            ticket->connection_.interrupt();
        } catch (...) {  // the caller still gets its timeout error
        }
    }
}

}  // namespace plugdb::detail
