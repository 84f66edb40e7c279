// What ends plugdb serve: SIGTERM, SIGINT, or trigger() from another thread
// (the database holder's fatal error). Construct it before any thread starts:
// it blocks both signals in the constructing thread, and threads started
// afterwards inherit the mask, so none dies of them.
#pragma once

#include <string>

namespace plugdb::host {

class ShutdownTrigger {
public:
    ShutdownTrigger();  // throws plugdb::Error (other) when the descriptors cannot be made
    ~ShutdownTrigger();
    ShutdownTrigger(const ShutdownTrigger&) = delete;
    ShutdownTrigger& operator=(const ShutdownTrigger&) = delete;

    // Safe from any thread: wait() returns.
    void trigger();
    // Blocks until a signal or trigger(); the signal's name ("SIGTERM"), or
    // empty after trigger().
    std::string wait();

private:
    int signals_ = -1;  // signalfd
    int wakeup_ = -1;   // eventfd
};

}  // namespace plugdb::host
