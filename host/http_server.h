// The HTTP server of plugdb serve. One thread polls every socket: it accepts,
// reads request heads without blocking (each within a deadline and a size
// limit) and writes responses without blocking (within a send deadline). Only
// complete requests reach the small worker pool, so idle or slow clients hold
// neither a worker nor the queue. Every response closes its connection.
#pragma once

#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http_message.h"

namespace plugdb::host::http {

struct Limits {
    // From accepting a connection to having its whole request head; then 408
    // (or a silent close when nothing arrived).
    std::chrono::milliseconds headTimeout{5000};
    // To write a response; a client that does not read is dropped.
    std::chrono::milliseconds sendTimeout{5000};
    std::size_t maxHeadBytes = 8192;  // beyond: 431, or 414 when the request line alone is longer
    // Open connections at most; at the limit the oldest one still sending its
    // head is closed to make room, and when every one is being answered a new
    // connection is closed at once.
    std::size_t maxConnections = 256;
    int workers = 4;
};

using Handler = std::function<Response(const Request&)>;

struct Route {
    std::string path;
    Handler handler;
    // Answered on the polling thread: the handler must neither block nor wait.
    bool immediate = false;
};

class Server {
public:
    // Binds and listens (without port reuse: an address in use is an error).
    // Throws plugdb::Error: connection when the address is taken, config when
    // it cannot be used (not local, privileged).
    Server(const Poco::Net::SocketAddress& address, std::vector<Route> routes, Limits limits);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // The address bound, "HOST:PORT" ("[HOST]:PORT" for IPv6), with the real port for port 0.
    std::string boundAddress() const;

    void start();
    // Stops accepting, waits for the handlers running, closes every connection.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace plugdb::host::http
