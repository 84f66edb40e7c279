// Raw TCP clients for plugdb serve: exact request bytes out, the whole reply
// in (status line included), and clients that connect and stay idle or slow.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace plugdb::test {

// A connected TCP socket to 127.0.0.1:port, closed when destroyed.
class RawClient {
public:
    explicit RawClient(int port) {
        fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd_ < 0) throw std::runtime_error("socket() failed");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
            ::close(fd_);
            throw std::runtime_error("cannot connect to port " + std::to_string(port));
        }
    }
    RawClient(const RawClient&) = delete;
    RawClient& operator=(const RawClient&) = delete;
    ~RawClient() {
        if (fd_ >= 0) ::close(fd_);
    }

    // False when the server closed or reset the connection.
    bool send(const std::string& bytes) {
        return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
               static_cast<ssize_t>(bytes.size());
    }

    // Everything the server sends until it closes, or until timeoutMs passed.
    std::string readAll(int timeoutMs) {
        std::string reply;
        const auto deadline =
            std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
        for (;;) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  deadline - std::chrono::steady_clock::now())
                                  .count();
            if (left <= 0) return reply;
            pollfd fd{fd_, POLLIN, 0};
            if (::poll(&fd, 1, static_cast<int>(left)) <= 0) return reply;
            char chunk[4096];
            const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
            if (n <= 0) {
                closedByPeer_ = true;
                return reply;
            }
            reply.append(chunk, static_cast<std::size_t>(n));
        }
    }

    // True once readAll saw the server close the connection.
    bool closedByPeer() const { return closedByPeer_; }

private:
    int fd_ = -1;
    bool closedByPeer_ = false;
};

// Sends one request and returns the whole reply.
inline std::string rawExchange(int port, const std::string& request, int timeoutMs = 5000) {
    RawClient client(port);
    client.send(request);
    return client.readAll(timeoutMs);
}

// The first line of a reply, without its CRLF.
inline std::string statusLine(const std::string& reply) {
    return reply.substr(0, reply.find("\r\n"));
}

// The value of a header field in a reply ("" when absent); names compared as sent.
inline std::string headerOf(const std::string& reply, const std::string& name) {
    const std::string head = reply.substr(0, reply.find("\r\n\r\n"));
    const auto at = head.find("\r\n" + name + ": ");
    if (at == std::string::npos) return "";
    const auto start = at + 4 + name.size();
    return head.substr(start, head.find("\r\n", start) - start);
}

// The body of a reply: what follows the empty line.
inline std::string bodyOf(const std::string& reply) {
    const auto end = reply.find("\r\n\r\n");
    return end == std::string::npos ? "" : reply.substr(end + 4);
}

}  // namespace plugdb::test
