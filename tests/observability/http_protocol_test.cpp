// plugdb serve speaks HTTP/1.1 exactly: status lines with their reason
// phrases, the protocol version checked, malformed and oversized request heads
// refused with the status that says why, and a head that never ends timed out.
#include <gtest/gtest.h>

#include <filesystem>

#include "raw_http.h"
#include "serve_probe.h"

namespace fs = std::filesystem;
using namespace plugdb::test;

namespace {

class HttpProtocol : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = new fs::path(fs::temp_directory_path() /
                            ("plugdb-http-protocol-" + std::to_string(getpid())));
        fs::remove_all(*dir_);
        fs::create_directories(*dir_);
        ProcessOptions options;
        options.workDir = dir_->string();
        options.env["DATABASE_URL"] = "sqlite:" + (*dir_ / "x.db").string();
        serve_ = new ServeProcess(options, {"--set", "http.header_timeout=1s"});
        ASSERT_EQ(serve_->waitReady().status, 200);
    }
    static void TearDownTestSuite() {
        delete serve_;
        fs::remove_all(*dir_);
        delete dir_;
    }

    static std::string exchange(const std::string& request) {
        return rawExchange(serve_->port(), request);
    }

    static fs::path* dir_;
    static ServeProcess* serve_;
};

fs::path* HttpProtocol::dir_ = nullptr;
ServeProcess* HttpProtocol::serve_ = nullptr;

const std::string kHost = "Host: 127.0.0.1\r\n";

}  // namespace

TEST_F(HttpProtocol, AnswersHaveTheRightReasonPhrase) {
    auto reply = exchange("GET /live HTTP/1.1\r\n" + kHost + "\r\n");
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 200 OK") << reply;
    EXPECT_EQ(headerOf(reply, "Content-Type"), "application/json") << reply;
    EXPECT_EQ(headerOf(reply, "Content-Length"), std::to_string(bodyOf(reply).size())) << reply;
    EXPECT_EQ(headerOf(reply, "Connection"), "close") << reply;
    EXPECT_FALSE(headerOf(reply, "Date").empty()) << reply;
    EXPECT_TRUE(parseObject(bodyOf(reply))->has("uptime"));

    reply = exchange("GET /nope HTTP/1.1\r\n" + kHost + "\r\n");
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 404 Not Found") << reply;
    EXPECT_TRUE(bodyOf(reply).find("/livez") != std::string::npos) << reply;

    // The query is not part of the path.
    reply = exchange("GET /live?verbose=1 HTTP/1.1\r\n" + kHost + "\r\n");
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 200 OK") << reply;
}

TEST_F(HttpProtocol, HttpOneZeroIsAnsweredAndNeedsNoHost) {
    const auto reply = exchange("GET /livez HTTP/1.0\r\n\r\n");
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 200 OK") << reply;
}

TEST_F(HttpProtocol, OtherVersionsAre505) {
    for (const char* version : {"HTTP/9.9", "HTTP/2.0", "HTTP/0.9"}) {
        const auto reply = exchange(std::string("GET /live ") + version + "\r\n" + kHost + "\r\n");
        EXPECT_EQ(statusLine(reply), "HTTP/1.1 505 HTTP Version Not Supported") << version << "\n"
                                                                                << reply;
    }
}

TEST_F(HttpProtocol, MalformedRequestLinesAre400) {
    for (const std::string& line : std::vector<std::string>{
             "GARBAGE", "GET /live", "GET  /live HTTP/1.1", "GET /live HTTP/1.1 extra",
             "GET /live http/1.1", "GET /live HTTP/1.10", "GET /live HTTP/1", "GET live HTTP/1.1",
             "G(T /live HTTP/1.1", "GET /li\x01ve HTTP/1.1"}) {
        const auto reply = exchange(line + "\r\n" + kHost + "\r\n");
        EXPECT_EQ(statusLine(reply), "HTTP/1.1 400 Bad Request") << line << "\n" << reply;
    }
}

TEST_F(HttpProtocol, MalformedHeadersAre400) {
    for (const std::string& headers : std::vector<std::string>{
             "Host 127.0.0.1\r\n", "Host : 127.0.0.1\r\n", kHost + " folded: continuation\r\n",
             std::string("\r\n"), kHost + kHost, "Host: 127.0.0.1\r\nX-Bad: a\x01z\r\n"}) {
        // "\r\n" alone: an HTTP/1.1 request without Host.
        const auto reply = exchange("GET /live HTTP/1.1\r\n" + headers + "\r\n");
        EXPECT_EQ(statusLine(reply), "HTTP/1.1 400 Bad Request") << headers << "\n" << reply;
    }
}

TEST_F(HttpProtocol, OtherMethodsAre405WithAllow) {
    for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "BREW"}) {
        const auto reply = exchange(std::string(method) + " /live HTTP/1.1\r\n" + kHost +
                                    "Content-Length: 0\r\n\r\n");
        EXPECT_EQ(statusLine(reply), "HTTP/1.1 405 Method Not Allowed") << method << "\n" << reply;
        EXPECT_EQ(headerOf(reply, "Allow"), "GET, HEAD") << reply;
    }
}

TEST_F(HttpProtocol, HeadHasTheLengthButNoBody) {
    const auto get = exchange("GET /health HTTP/1.1\r\n" + kHost + "\r\n");
    const auto head = exchange("HEAD /health HTTP/1.1\r\n" + kHost + "\r\n");
    EXPECT_EQ(statusLine(head), "HTTP/1.1 200 OK") << head;
    EXPECT_FALSE(headerOf(head, "Content-Length").empty()) << head;
    EXPECT_EQ(bodyOf(head), "") << head;
    EXPECT_FALSE(bodyOf(get).empty()) << get;
}

TEST_F(HttpProtocol, OversizedHeadsAre431Or414) {
    auto reply = exchange("GET /live HTTP/1.1\r\n" + kHost + "X-Big: " + std::string(20000, 'a') +
                          "\r\n\r\n");
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 431 Request Header Fields Too Large") << reply;
    reply = exchange("GET /live?" + std::string(20000, 'a') + " HTTP/1.1\r\n" + kHost + "\r\n");
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 414 URI Too Long") << reply.substr(0, 200);
}

TEST_F(HttpProtocol, AHeadThatNeverEndsIs408) {
    RawClient client(serve_->port());
    client.send("GET /live HTTP/1.1\r\n" + kHost);
    const auto started = std::chrono::steady_clock::now();
    const auto reply = client.readAll(5000);
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(statusLine(reply), "HTTP/1.1 408 Request Timeout") << reply;
    EXPECT_TRUE(client.closedByPeer());
    EXPECT_LT(waited, std::chrono::seconds(3)) << "http.header_timeout=1s";
}

TEST_F(HttpProtocol, AnIdleConnectionIsClosedSilently) {
    RawClient client(serve_->port());
    const auto reply = client.readAll(5000);
    EXPECT_EQ(reply, "");
    EXPECT_TRUE(client.closedByPeer()) << "closed after http.header_timeout";
}
