#include "http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include "logging.h"
#include "output.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"

namespace plugdb::host::http {
namespace {

using Clock = std::chrono::steady_clock;

// After a response is written the server reads what the client still sends
// for this long, so closing does not reset the connection before the client
// has read the response.
constexpr std::chrono::milliseconds kLinger{1000};
constexpr std::size_t kMaxLingerBytes = 64 * 1024;
// Accepting pauses this long when the process has no file descriptor left.
constexpr std::chrono::milliseconds kAcceptPause{100};

std::string peerName(const sockaddr_storage& address) {
    char text[INET6_ADDRSTRLEN] = "?";
    if (address.ss_family == AF_INET) {
        const auto& in = reinterpret_cast<const sockaddr_in&>(address);
        inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
        return std::string(text) + ":" + std::to_string(ntohs(in.sin_port));
    }
    if (address.ss_family == AF_INET6) {
        const auto& in6 = reinterpret_cast<const sockaddr_in6&>(address);
        inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
        return "[" + std::string(text) + "]:" + std::to_string(ntohs(in6.sin6_port));
    }
    return text;
}

std::string systemError(int error) {
    char buffer[256];
    return strerror_r(error, buffer, sizeof buffer);
}

}  // namespace

struct Server::Impl {
    enum class State {
        Reading,   // the request head is arriving
        Working,   // a worker computes the response; not polled
        Writing,   // the response is being sent
        Lingering  // sent; reading what is left until the client closes
    };

    struct Connection {
        int fd = -1;
        std::string peer;
        State state = State::Reading;
        std::string data;  // the head while Reading, the response while Writing
        std::size_t sent = 0;
        std::size_t lingered = 0;
        Clock::time_point accepted;
        Clock::time_point deadline;
    };

    struct Job {
        std::uint64_t id;
        Request request;
        const Route* route;
        std::string peer;
    };

    Impl(std::vector<Route> routesIn, Limits limitsIn)
        : routes(std::move(routesIn)), limits(limitsIn) {}

    ~Impl() {
        for (auto& [id, connection] : connections) ::close(connection.fd);
        if (listenFd >= 0) ::close(listenFd);
        if (wakeFd >= 0) ::close(wakeFd);
    }

    void listen(const Poco::Net::SocketAddress& address) {
        const std::string where = address.toString();
        listenFd = ::socket(address.family() == Poco::Net::SocketAddress::IPv6 ? AF_INET6 : AF_INET,
                            SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (listenFd < 0)
            throw Error(ErrorCategory::Connection,
                        "cannot listen on " + where + ": " + systemError(errno));
        // Address reuse lets a restart bind while old connections are in
        // TIME_WAIT; port reuse (SO_REUSEPORT) stays off so a second server
        // on the same address fails instead of sharing it.
        const int on = 1;
        ::setsockopt(listenFd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(listenFd, address.addr(), address.length()) != 0 ||
            ::listen(listenFd, SOMAXCONN) != 0) {
            const int error = errno;
            if (error == EADDRINUSE)
                throw Error(ErrorCategory::Connection,
                            "cannot listen on " + where +
                                ": the address is already in use (is another plugdb serve or "
                                "another server running there?)");
            if (error == EACCES || error == EADDRNOTAVAIL)
                throw Error(ErrorCategory::Config,
                            "cannot listen on " + where + " (http.listen): " + systemError(error));
            throw Error(ErrorCategory::Connection,
                        "cannot listen on " + where + ": " + systemError(error));
        }
        wakeFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (wakeFd < 0)
            throw Error(ErrorCategory::Other, "cannot create an eventfd: " + systemError(errno));
    }

    std::string boundAddress() const {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        ::getsockname(listenFd, reinterpret_cast<sockaddr*>(&address), &length);
        return peerName(address);
    }

    void wake() {
        const std::uint64_t one = 1;
        [[maybe_unused]] const auto written = ::write(wakeFd, &one, sizeof one);
    }

    // ---- the polling thread -------------------------------------------------

    void loop() {
        std::vector<pollfd> polled;
        std::vector<std::uint64_t> ids;  // the connection of each pollfd after the first two
        while (!stopping) {
            const auto now = Clock::now();
            polled.clear();
            ids.clear();
            polled.push_back({wakeFd, POLLIN, 0});
            const bool accepting = now >= acceptPausedUntil;
            polled.push_back({accepting ? listenFd : -1, POLLIN, 0});
            auto next = accepting ? Clock::time_point::max() : acceptPausedUntil;
            for (const auto& [id, connection] : connections) {
                if (connection.state == State::Working) continue;
                const short events = connection.state == State::Writing ? POLLOUT : POLLIN;
                polled.push_back({connection.fd, events, 0});
                ids.push_back(id);
                next = std::min(next, connection.deadline);
            }
            int timeout = -1;
            if (next != Clock::time_point::max())
                timeout = static_cast<int>(std::max<long long>(
                    0,
                    std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count() + 1));
            if (::poll(polled.data(), polled.size(), timeout) < 0 && errno != EINTR) {
                logger().error("the HTTP server cannot poll: " + systemError(errno));
                return;
            }
            if (polled[0].revents) takeFinishedResponses();
            if (polled[1].revents) acceptAll();
            for (std::size_t i = 2; i < polled.size(); ++i)
                if (polled[i].revents) serviceConnection(ids[i - 2]);
            expireDeadlines();
        }
    }

    void acceptAll() {
        for (int i = 0; i < 64; ++i) {
            sockaddr_storage address{};
            socklen_t length = sizeof address;
            const int fd = ::accept4(listenFd, reinterpret_cast<sockaddr*>(&address), &length,
                                     SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                    logger().warning("cannot accept a connection: " + systemError(errno) +
                                     "; pausing");
                    acceptPausedUntil = Clock::now() + kAcceptPause;
                }
                return;
            }
            if (connections.size() >= limits.maxConnections && !makeRoom()) {
                ::close(fd);  // every connection is being answered: refuse this one
                continue;
            }
            Connection connection;
            connection.fd = fd;
            connection.peer = peerName(address);
            connection.accepted = Clock::now();
            connection.deadline = connection.accepted + limits.headTimeout;
            connections.emplace(nextId++, std::move(connection));
        }
    }

    // Closes a lingering connection, else the one that has been sending its
    // head the longest. False when every connection is being answered.
    bool makeRoom() {
        auto victim = connections.end();
        for (auto it = connections.begin(); it != connections.end(); ++it) {
            if (it->second.state == State::Lingering) {
                victim = it;
                break;
            }
            if (it->second.state == State::Reading &&
                (victim == connections.end() || it->second.accepted < victim->second.accepted))
                victim = it;
        }
        if (victim == connections.end()) return false;
        if (victim->second.state == State::Reading)
            logger().debug("closing the connection from " + victim->second.peer +
                           ": the connection limit is reached and its request is not complete");
        closeConnection(victim);
        return true;
    }

    void serviceConnection(std::uint64_t id) {
        auto it = connections.find(id);
        if (it == connections.end()) return;  // closed meanwhile to make room
        Connection& connection = it->second;
        if (connection.state == State::Reading) return readHead(it);
        if (connection.state == State::Writing) return writeResponse(it);
        if (connection.state == State::Lingering) return linger(it);
    }

    void readHead(std::map<std::uint64_t, Connection>::iterator it) {
        Connection& connection = it->second;
        // One byte beyond the limit tells an oversized head from a full one.
        while (connection.data.size() <= limits.maxHeadBytes) {
            char chunk[4096];
            const std::size_t room = limits.maxHeadBytes + 1 - connection.data.size();
            const ssize_t n = ::recv(connection.fd, chunk, std::min(room, sizeof chunk), 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (n <= 0) return closeConnection(it);  // gone before its request was complete
            connection.data.append(chunk, static_cast<std::size_t>(n));
            const auto end = findHeadEnd(connection.data);
            if (end != std::string::npos && end <= limits.maxHeadBytes)
                return dispatch(it, connection.data.substr(0, end));
        }
        const bool lineTooLong = connection.data.find('\n') == std::string::npos;
        refuse(it, lineTooLong ? Refusal{414, "the request line is longer than " +
                                                  std::to_string(limits.maxHeadBytes) + " bytes"}
                               : Refusal{431, "the request head is longer than " +
                                                  std::to_string(limits.maxHeadBytes) + " bytes"});
    }

    void dispatch(std::map<std::uint64_t, Connection>::iterator it, const std::string& head) {
        auto parsed = parseRequestHead(head);
        if (auto* refusal = std::get_if<Refusal>(&parsed)) return refuse(it, *refusal);
        Request& request = std::get<Request>(parsed);
        const bool withBody = request.method != "HEAD";
        if (request.method != "GET" && request.method != "HEAD") {
            Response response = errorResponse(405, "only GET and HEAD are allowed");
            response.headers.emplace_back("Allow", "GET, HEAD");
            return respond(it, request, response, withBody);
        }
        if (request.path.empty()) return refuse(it, {400, "the request target is not a path"});
        const Route* route = nullptr;
        for (const auto& candidate : routes)
            if (candidate.path == request.path) route = &candidate;
        if (route == nullptr) return respond(it, request, notFound(), withBody);
        if (route->immediate) return respond(it, request, run(*route, request), withBody);
        it->second.state = State::Working;
        it->second.data.clear();
        {
            std::lock_guard lock(mutex);
            jobs.push_back({it->first, std::move(request), route, it->second.peer});
        }
        jobReady.notify_one();
    }

    Response notFound() const {
        std::string endpoints;
        for (const auto& route : routes)
            endpoints += (endpoints.empty() ? "" : ",") + jsonString(route.path);
        return {404,
                "application/json",
                "{\"error\":\"not found\",\"endpoints\":[" + endpoints + "]}",
                {}};
    }

    void refuse(std::map<std::uint64_t, Connection>::iterator it, const Refusal& refusal) {
        logger().debug("refused a request from " + it->second.peer + ": " +
                       std::to_string(refusal.status) + " " + refusal.reason);
        startWriting(it, serialize(errorResponse(refusal.status, refusal.reason), true));
    }

    void respond(std::map<std::uint64_t, Connection>::iterator it, const Request& request,
                 const Response& response, bool withBody) {
        logRequest(request, response.status, it->second.peer);
        startWriting(it, serialize(response, withBody));
    }

    void startWriting(std::map<std::uint64_t, Connection>::iterator it, std::string bytes) {
        Connection& connection = it->second;
        connection.state = State::Writing;
        connection.data = std::move(bytes);
        connection.sent = 0;
        connection.deadline = Clock::now() + limits.sendTimeout;
        writeResponse(it);
    }

    void writeResponse(std::map<std::uint64_t, Connection>::iterator it) {
        Connection& connection = it->second;
        while (connection.sent < connection.data.size()) {
            const ssize_t n =
                ::send(connection.fd, connection.data.data() + connection.sent,
                       connection.data.size() - connection.sent, MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (n < 0) return closeConnection(it);
            connection.sent += static_cast<std::size_t>(n);
        }
        ::shutdown(connection.fd, SHUT_WR);
        connection.state = State::Lingering;
        connection.data.clear();
        connection.deadline = Clock::now() + kLinger;
    }

    void linger(std::map<std::uint64_t, Connection>::iterator it) {
        Connection& connection = it->second;
        for (;;) {
            char chunk[4096];
            const ssize_t n = ::recv(connection.fd, chunk, sizeof chunk, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
            if (n <= 0) return closeConnection(it);
            connection.lingered += static_cast<std::size_t>(n);
            if (connection.lingered > kMaxLingerBytes) return closeConnection(it);
        }
    }

    void expireDeadlines() {
        const auto now = Clock::now();
        for (auto it = connections.begin(); it != connections.end();) {
            auto current = it++;
            Connection& connection = current->second;
            if (connection.state == State::Working || connection.deadline > now) continue;
            if (connection.state == State::Reading &&
                connection.data.find_first_not_of("\r\n") != std::string::npos) {
                refuse(current, {408, "the request head did not arrive within " +
                                          std::to_string(limits.headTimeout.count()) + " ms"});
                continue;
            }
            closeConnection(current);  // idle, not reading its response, or done
        }
    }

    void closeConnection(std::map<std::uint64_t, Connection>::iterator it) {
        ::close(it->second.fd);
        connections.erase(it);
    }

    void takeFinishedResponses() {
        std::uint64_t count = 0;
        [[maybe_unused]] const auto read = ::read(wakeFd, &count, sizeof count);
        std::deque<std::pair<std::uint64_t, std::string>> finished;
        {
            std::lock_guard lock(mutex);
            finished.swap(done);
        }
        for (auto& [id, bytes] : finished) {
            auto it = connections.find(id);
            if (it != connections.end()) startWriting(it, std::move(bytes));
        }
    }

    // ---- the workers ----------------------------------------------------------

    void work() {
        for (;;) {
            Job job;
            {
                std::unique_lock lock(mutex);
                jobReady.wait(lock, [&] { return stopping || !jobs.empty(); });
                if (stopping) return;
                job = std::move(jobs.front());
                jobs.pop_front();
            }
            const Response response = run(*job.route, job.request);
            logRequest(job.request, response.status, job.peer);
            std::string bytes = serialize(response, job.request.method != "HEAD");
            {
                std::lock_guard lock(mutex);
                done.emplace_back(job.id, std::move(bytes));
            }
            wake();
        }
    }

    static Response run(const Route& route, const Request& request) {
        try {
            return route.handler(request);
        } catch (const std::exception& e) {
            const std::string error = secrets::mask(e.what());
            logger().warning(request.method + " " + secrets::mask(request.path) +
                             " failed: " + error);
            return errorResponse(500, error);
        }
    }

    static void logRequest(const Request& request, int status, const std::string& peer) {
        if (logger().debug())
            logger().debug(request.method + " " + secrets::mask(request.path) + " " +
                           std::to_string(status) + " from " + peer);
    }

    std::vector<Route> routes;
    Limits limits;
    int listenFd = -1;
    int wakeFd = -1;
    std::atomic<bool> stopping{false};
    Clock::time_point acceptPausedUntil{};

    // Owned by the polling thread.
    std::map<std::uint64_t, Connection> connections;
    std::uint64_t nextId = 1;

    // Shared with the workers.
    std::mutex mutex;
    std::condition_variable jobReady;
    std::deque<Job> jobs;
    std::deque<std::pair<std::uint64_t, std::string>> done;

    std::thread poller;
    std::vector<std::thread> workers;
};

Server::Server(const Poco::Net::SocketAddress& address, std::vector<Route> routes, Limits limits)
    : impl_(std::make_unique<Impl>(std::move(routes), limits)) {
    impl_->listen(address);
}

Server::~Server() {
    stop();
}

std::string Server::boundAddress() const {
    return impl_->boundAddress();
}

void Server::start() {
    impl_->poller = std::thread([this] { impl_->loop(); });
    for (int i = 0; i < impl_->limits.workers; ++i)
        impl_->workers.emplace_back([this] { impl_->work(); });
}

void Server::stop() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->jobReady.notify_all();
    impl_->wake();
    if (impl_->poller.joinable()) impl_->poller.join();
    for (auto& worker : impl_->workers)
        if (worker.joinable()) worker.join();
    impl_->workers.clear();
}

}  // namespace plugdb::host::http
