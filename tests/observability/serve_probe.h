// Running `plugdb serve` as a child and reading its endpoints: JSON bodies and
// the Prometheus text format, checked line by line.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "http_get.h"
#include "process.h"

namespace plugdb::test {

// A TCP port nothing listens on: bound once, then closed.
inline int closedPort() {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
    const int port = socket.address().port();
    socket.close();
    return port;
}

// A fresh directory per test, the serve child's working directory; the child
// gets an empty environment unless the test adds to options_.env.
class ServeTest : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = std::filesystem::temp_directory_path() /
               ("plugdb-" + std::string(test->test_suite_name()) + "-" + std::to_string(getpid()) +
                "-" + test->name());
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        options_.workDir = dir_.string();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // serve on a SQLite file in the test's directory.
    void useSqlite() { options_.env["DATABASE_URL"] = "sqlite:" + (dir_ / "x.db").string(); }

    std::filesystem::path dir_;
    ProcessOptions options_;
};

inline Poco::JSON::Object::Ptr parseObject(const std::string& body) {
    return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

// `plugdb serve` on a free port; stopped with SIGTERM when destroyed.
class ServeProcess {
public:
    explicit ServeProcess(const ProcessOptions& options, std::vector<std::string> extraArgs = {}) {
        std::vector<std::string> argv{PLUGDB_TEST_BINARY, "serve", "--listen", "127.0.0.1:0"};
        argv.insert(argv.end(), extraArgs.begin(), extraArgs.end());
        child_ = std::make_unique<Child>(argv, options);
        const std::optional<int> port = listeningPort(*child_);
        if (!port) throw std::runtime_error("serve did not start: " + child_->stderrText());
        port_ = *port;
    }
    ~ServeProcess() {
        if (child_) stop();
    }

    int port() const { return port_; }
    HttpReply get(const std::string& path) const { return httpGet(port_, path); }

    // GETs `path` until `done` holds for the reply (for at most 10 s); the last reply.
    HttpReply poll(const std::string& path,
                   const std::function<bool(const HttpReply&)>& done) const {
        return pollUntil(port_, path, done, 200);
    }

    // Polls /ready until it answers 200 (the database opens in the background).
    HttpReply waitReady() const {
        return poll("/ready", [](const HttpReply& reply) { return reply.status == 200; });
    }

    // Stops the server; returns its exit code and stderr (the logs).
    std::pair<int, std::string> stop() {
        child_->signal(SIGTERM);
        const int code = child_->wait();
        std::string logs = child_->stderrText();
        child_.reset();
        return {code, logs};
    }

private:
    std::unique_ptr<Child> child_;
    int port_ = 0;
};

struct PrometheusSample {
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0;
};

// Parses the text format and checks it as a scraper would: every sample
// belongs to a family announced by HELP and TYPE, values are numbers, every
// sample carries the driver label, and every histogram series has
// non-decreasing buckets ending with le="+Inf" equal to its _count.
inline std::vector<PrometheusSample> checkPrometheusText(const std::string& text,
                                                         const std::string& driver) {
    std::map<std::string, std::string> types;
    std::map<std::string, bool> helped;
    std::vector<PrometheusSample> samples;
    const std::regex sampleLine(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$)");
    const std::regex labelPair(R"re(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)")re");
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        std::istringstream words(line);
        std::string hash, keyword, name, rest;
        if (line.starts_with("# HELP ")) {
            words >> hash >> keyword >> name;
            EXPECT_FALSE(helped[name]) << "HELP twice: " << line;
            helped[name] = true;
            continue;
        }
        if (line.starts_with("# TYPE ")) {
            words >> hash >> keyword >> name >> rest;
            EXPECT_TRUE(helped[name]) << "TYPE without HELP: " << line;
            EXPECT_TRUE(rest == "gauge" || rest == "counter" || rest == "histogram") << line;
            types[name] = rest;
            continue;
        }
        EXPECT_FALSE(line.starts_with("#")) << line;
        std::smatch match;
        if (!std::regex_match(line, match, sampleLine)) {
            ADD_FAILURE() << "not a sample line: " << line;
            continue;
        }
        PrometheusSample sample{match[1], {}, 0};
        const std::string labels = match[3];
        for (std::sregex_iterator it(labels.begin(), labels.end(), labelPair), end; it != end; ++it)
            sample.labels[(*it)[1]] = (*it)[2];
        const std::string value = match[4];
        if (value == "+Inf") {
            sample.value = std::numeric_limits<double>::infinity();
        } else {
            std::size_t used = 0;
            EXPECT_NO_THROW(sample.value = std::stod(value, &used)) << line;
            EXPECT_EQ(used, value.size()) << line;
        }
        std::string family = sample.name;
        for (const char* suffix : {"_bucket", "_count", "_sum"})
            if (!types.count(family) && family.ends_with(suffix) &&
                types.count(family.substr(0, family.size() - std::string(suffix).size())))
                family.resize(family.size() - std::string(suffix).size());
        EXPECT_TRUE(types.count(family)) << "sample of no announced family: " << line;
        EXPECT_EQ(sample.labels["driver"], driver) << line;
        samples.push_back(std::move(sample));
    }

    // Histogram series: buckets in order, keyed by the labels other than le.
    std::map<std::string, std::vector<std::pair<std::string, double>>> buckets;
    std::map<std::string, double> counts;
    for (const auto& sample : samples) {
        std::string series;
        for (const auto& [key, value] : sample.labels)
            if (key != "le") series += key + "=" + value + ",";
        if (sample.name.ends_with("_bucket"))
            buckets[sample.name.substr(0, sample.name.size() - 7) + "|" + series].emplace_back(
                sample.labels.at("le"), sample.value);
        if (sample.name.ends_with("_count"))
            counts[sample.name.substr(0, sample.name.size() - 6) + "|" + series] = sample.value;
    }
    for (const auto& [series, list] : buckets) {
        EXPECT_EQ(list.back().first, "+Inf") << series;
        for (std::size_t i = 1; i < list.size(); ++i)
            EXPECT_LE(list[i - 1].second, list[i].second) << series;
        EXPECT_TRUE(counts.count(series)) << series;
        EXPECT_EQ(list.back().second, counts[series]) << series;
    }
    return samples;
}

inline const PrometheusSample* findSample(const std::vector<PrometheusSample>& samples,
                                          const std::string& name) {
    for (const auto& sample : samples)
        if (sample.name == name) return &sample;
    return nullptr;
}

// The pool_stats object has every field of the seed plus ours, with their JSON types.
inline void checkPoolStats(const Poco::JSON::Object::Ptr& stats) {
    ASSERT_TRUE(stats);
    for (const char* field :
         {"max_open_connections", "open_connections", "in_use", "idle", "wait_count",
          "max_idle_closed", "max_idle_time_closed", "max_lifetime_closed", "acquire_timeouts",
          "created", "closed", "broken_closed", "transaction_retries"}) {
        ASSERT_TRUE(stats->has(field)) << field;
        EXPECT_TRUE(stats->get(field).isInteger()) << field;
        EXPECT_GE(stats->getValue<long long>(field), 0) << field;
    }
    ASSERT_TRUE(stats->has("wait_duration"));
    EXPECT_TRUE(stats->get("wait_duration").isString());
    EXPECT_TRUE(stats->get("wait_duration_seconds").isNumeric());
    // Connections being opened count as open before they are idle or in use.
    EXPECT_GE(stats->getValue<int>("open_connections"),
              stats->getValue<int>("in_use") + stats->getValue<int>("idle"));
}

}  // namespace plugdb::test
