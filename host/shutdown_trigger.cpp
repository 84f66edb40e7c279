#include "shutdown_trigger.h"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>

#include "plugdb/error.h"

namespace plugdb::host {

ShutdownTrigger::ShutdownTrigger() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    signals_ = signalfd(-1, &signals, SFD_CLOEXEC);
    if (signals_ < 0) throw Error(ErrorCategory::Other, "cannot create a signalfd");
    wakeup_ = ::eventfd(0, EFD_CLOEXEC);
    if (wakeup_ < 0) {
        ::close(signals_);
        throw Error(ErrorCategory::Other, "cannot create an eventfd");
    }
}

ShutdownTrigger::~ShutdownTrigger() {
    ::close(signals_);
    ::close(wakeup_);
}

void ShutdownTrigger::trigger() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeup_, &one, sizeof one);
}

std::string ShutdownTrigger::wait() {
    pollfd waits[2] = {{signals_, POLLIN, 0}, {wakeup_, POLLIN, 0}};
    while (::poll(waits, 2, -1) < 0 && errno == EINTR) {
    }
    if (!waits[0].revents) return {};
    signalfd_siginfo info{};
    [[maybe_unused]] const auto got = ::read(signals_, &info, sizeof info);
    return info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT";
}

}  // namespace plugdb::host
