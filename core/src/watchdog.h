// Interrupts statements that run past their deadline (db.query_timeout): one
// thread per database, started on first use, waiting for the earliest deadline.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include "plugdb/driver.h"

namespace plugdb::detail {

class Watchdog {
public:
    using Clock = std::chrono::steady_clock;

    Watchdog() = default;
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    // Watches one call on `connection`: if it is still running `timeout` from
    // now, the connection is interrupted. Once disarm() returns, no interrupt
    // for this ticket can follow.
    class Ticket {
    public:
        Ticket(Watchdog& watchdog, Connection& connection, std::chrono::milliseconds timeout);
        ~Ticket() { disarm(); }
        Ticket(const Ticket&) = delete;
        Ticket& operator=(const Ticket&) = delete;

        void disarm();
        bool fired() const { return fired_; }  // read after disarm()

    private:
        friend class Watchdog;
        Watchdog& watchdog_;
        Connection& connection_;
        std::multimap<Clock::time_point, Ticket*>::iterator position_;
        bool armed_ = false;
        bool fired_ = false;
    };

private:
    void loop(std::stop_token stop);

    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::multimap<Clock::time_point, Ticket*> deadlines_;
    std::uint64_t earliestChanges_ = 0;  // wakes the thread when a sooner deadline arrives
    std::jthread thread_;                // last: stopped before the rest goes
};

}  // namespace plugdb::detail
