// plugdb serve: keeps the database open and answers health probes over HTTP
// (/live, /livez, /ready, /readyz, /health, /health/database,
// /health/detailed, /metrics; see health_routes.h) until SIGTERM or SIGINT.
#include <Poco/Net/SocketAddress.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <csignal>
#include <iostream>

#include "commands.h"
#include "database_holder.h"
#include "health_routes.h"
#include "http_server.h"
#include "logging.h"
#include "plugdb/error.h"
#include "plugdb/migrate.h"

namespace plugdb::host {
namespace {

http::Limits limitsFrom(const Config& config) {
    http::Limits limits;
    limits.headTimeout = config.getDuration("http.header_timeout", limits.headTimeout);
    if (limits.headTimeout.count() <= 0)
        throw Error(ErrorCategory::Config, "http.header_timeout must be longer than 0");
    limits.maxConnections = static_cast<std::size_t>(
        config.getInt("http.max_connections", static_cast<int>(limits.maxConnections), 1));
    return limits;
}

// What can be checked before the database opens is checked here, so a bad
// value ends serve at once (exit 78) instead of being retried as if the
// database were unreachable.
void checkDatabaseSettings(const Config& config) {
    const bool migrateAuto = config.getBool("migrate.auto", true);  // a boolean, or empty
    if (migrateAuto) (void)migrate::Options::fromConfig(config);
    (void)config.getDuration("connect.backoff_initial", std::chrono::seconds(1));
    (void)config.getDuration("connect.backoff_max", std::chrono::seconds(16));
}

Poco::Net::SocketAddress listenAddress(const Config& config) {
    const std::string listen = config.getString("http.listen", "127.0.0.1:8080");
    try {
        return Poco::Net::SocketAddress(listen);
    } catch (const Poco::Exception& e) {
        throw Error(ErrorCategory::Config,
                    "http.listen '" + listen + "' is not HOST:PORT (" + e.displayText() + ")");
    }
}

// A file descriptor that becomes readable when SIGTERM or SIGINT arrives;
// both are blocked in every thread (the mask is inherited), so none dies of them.
int shutdownSignals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    const int fd = signalfd(-1, &signals, SFD_CLOEXEC);
    if (fd < 0) throw Error(ErrorCategory::Other, "cannot create a signalfd");
    return fd;
}

class FileDescriptor {
public:
    explicit FileDescriptor(int fd) : fd_(fd) {}
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace

int runServe(const Invocation& inv) {
    if (!inv.args.empty()) throw Error(ErrorCategory::InvalidArgument, "serve takes no arguments");
    const http::Limits limits = limitsFrom(inv.config);
    checkDatabaseSettings(inv.config);
    const Poco::Net::SocketAddress address = listenAddress(inv.config);

    // Before any thread starts, so every thread inherits the blocked signals.
    const FileDescriptor signals(shutdownSignals());
    const FileDescriptor fatal(::eventfd(0, EFD_CLOEXEC));
    if (fatal.get() < 0) throw Error(ErrorCategory::Other, "cannot create an eventfd");

    const auto started = std::chrono::steady_clock::now();
    DatabaseHolder holder(inv.config, [&fatal] {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(fatal.get(), &one, sizeof one);
    });
    // Bound before the database opens: a taken address fails here, at once.
    http::Server server(address, healthRoutes(holder, started), limits);
    server.start();
    holder.start();
    const std::string bound = server.boundAddress();
    std::cout << "listening on http://" << bound << std::endl;
    logger().information("serving health endpoints on http://" + bound + " (at most " +
                         std::to_string(limits.maxConnections) + " connections, request heads " +
                         "within " + std::to_string(limits.headTimeout.count()) + " ms)");

    pollfd waits[2] = {{signals.get(), POLLIN, 0}, {fatal.get(), POLLIN, 0}};
    while (::poll(waits, 2, -1) < 0 && errno == EINTR) {
    }
    if (waits[0].revents) {
        signalfd_siginfo info{};
        [[maybe_unused]] const auto got = ::read(signals.get(), &info, sizeof info);
        logger().information(std::string("received ") +
                             (info.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT") +
                             ", shutting down");
    }
    server.stop();
    holder.stop();
    if (auto error = holder.fatalError()) throw *error;
    return kExitOk;
}

}  // namespace plugdb::host
