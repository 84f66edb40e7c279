// A loopback TCP proxy for tests: it relays every connection to a server and
// cuts one (closes both sides, forwarding nothing more) as soon as the
// client sends a given text, so "the connection was lost during X" happens
// at exactly X.
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace plugdb::test {

class CuttingProxy {
public:
    // Listens on 127.0.0.1 (a free port) and relays to 127.0.0.1:serverPort.
    CuttingProxy(int serverPort, std::string cutAt);
    ~CuttingProxy();
    CuttingProxy(const CuttingProxy&) = delete;
    CuttingProxy& operator=(const CuttingProxy&) = delete;

    int port() const { return port_; }
    int cuts() const { return cuts_.load(); }

private:
    void acceptLoop();
    void relay(int client);

    int serverPort_;
    std::string cutAt_;
    int listener_ = -1;
    int port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> cuts_{0};
    std::mutex mutex_;
    std::vector<std::thread> relays_;
    std::thread acceptor_;
};

}  // namespace plugdb::test
