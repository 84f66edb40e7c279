// Idle and slow clients cannot starve plugdb serve's probes: the liveness
// probe answers within 100 ms while 50 of them hold connections open, and
// beyond http.max_connections the oldest unfinished request is dropped.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "raw_http.h"
#include "serve_probe.h"

namespace fs = std::filesystem;
using namespace plugdb::test;
using namespace std::chrono_literals;

namespace {

class SlowClients : public ServeTest {
protected:
    void SetUp() override {
        ServeTest::SetUp();
        useSqlite();
    }
};

// The time of one whole probe: connect, request, the complete reply.
std::chrono::steady_clock::duration probe(int port, const std::string& path, std::string& reply) {
    const auto started = std::chrono::steady_clock::now();
    reply = rawExchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 2000);
    return std::chrono::steady_clock::now() - started;
}

double millis(std::chrono::steady_clock::duration duration) {
    return std::chrono::duration<double, std::milli>(duration).count();
}

}  // namespace

TEST_F(SlowClients, FiftySlowClientsDoNotStarveTheProbes) {
    ServeProcess serve(options_, {"--set", "http.header_timeout=4s"});
    ASSERT_EQ(serve.waitReady().status, 200);

    // 25 idle connections and 25 slowloris clients sending a byte a second.
    std::vector<std::unique_ptr<RawClient>> idle, dribbling;
    for (int i = 0; i < 25; ++i) {
        idle.push_back(std::make_unique<RawClient>(serve.port()));
        dribbling.push_back(std::make_unique<RawClient>(serve.port()));
        dribbling.back()->send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
    }
    std::atomic<bool> done{false};
    std::thread dribbler([&] {
        while (!done) {
            for (auto& client : dribbling) client->send("a");
            for (int i = 0; i < 10 && !done; ++i) std::this_thread::sleep_for(100ms);
        }
    });

    std::chrono::steady_clock::duration worst{};
    for (int i = 0; i < 20; ++i) {
        std::string reply;
        const auto took = probe(serve.port(), i % 2 ? "/live" : "/livez", reply);
        EXPECT_EQ(statusLine(reply), "HTTP/1.1 200 OK") << "probe " << i;
        worst = std::max(worst, took);
        std::this_thread::sleep_for(50ms);
    }
    std::string health;
    const auto healthTook = probe(serve.port(), "/health", health);
    done = true;
    dribbler.join();
    std::cout << "[ measured ] worst of 20 /live probes among 50 slow clients: " << millis(worst)
              << " ms; /health " << millis(healthTook) << " ms\n";
    EXPECT_LT(worst, 100ms) << "the liveness probe must answer within 100 ms";
    EXPECT_EQ(statusLine(health), "HTTP/1.1 200 OK") << health;
    EXPECT_LT(healthTook, 1s);

    // The head timeout ends them all: the slow ones hear 408, the idle ones are closed.
    for (auto& client : dribbling) {
        const auto reply = client->readAll(6000);
        EXPECT_EQ(statusLine(reply), "HTTP/1.1 408 Request Timeout") << reply;
    }
    for (auto& client : idle) {
        EXPECT_EQ(client->readAll(2000), "");
        EXPECT_TRUE(client->closedByPeer());
    }
}

TEST_F(SlowClients, BeyondTheConnectionLimitTheOldestUnfinishedRequestIsDropped) {
    ServeProcess serve(options_, {"--set", "http.max_connections=16"});
    ASSERT_EQ(serve.waitReady().status, 200);
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 40; ++i) idle.push_back(std::make_unique<RawClient>(serve.port()));
    // Let the server accept them all before probing.
    std::this_thread::sleep_for(200ms);

    std::string reply;
    const auto took = probe(serve.port(), "/live", reply);
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 200 OK") << reply;
    EXPECT_LT(took, 100ms);

    // The first ones made room for later ones; the last 15 are still open.
    int closed = 0;
    for (int i = 0; i < 40; ++i) {
        idle[i]->readAll(i < 20 ? 200 : 20);
        if (idle[i]->closedByPeer()) ++closed;
    }
    EXPECT_GE(closed, 40 - 16) << "at most 16 connections stay open";
    for (int i = 25; i < 40; ++i) EXPECT_FALSE(idle[i]->closedByPeer()) << i;
}
