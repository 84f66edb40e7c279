// A small benchmark harness: every client ("contender") does the same work on
// the same engine, interleaved round by round so drift and noise hit them
// alike, and results are medians with their spread and ratios to the raw
// client library.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace plugdb::bench {

// The benchmark table: t(id integer primary key, name varchar(64), v integer).
struct Row {
    std::int64_t id = 0;
    std::string name;
    std::int64_t v = 0;
};

// The deterministic content of row `id`, identical for every engine.
std::string nameFor(std::int64_t id);
std::int64_t valueFor(std::int64_t id);

// One client library on one engine. Implementations keep their session and
// prepared statements between calls, as an application would.
class Contender {
public:
    virtual ~Contender() = default;
    // Runs SQL without results (setup, not measured).
    virtual void execute(const std::string& sql) = 0;
    // One prepared point select per id; adds what it read to checksum.
    virtual void pointSelect(std::span<const std::int64_t> ids, std::int64_t& checksum) = 0;
    // Inserts rows into the empty table t_bulk in one transaction, each
    // library's best way.
    virtual void bulkInsert(std::span<const Row> rows) = 0;
    // Reads a whole table (t or t_bulk) into memory.
    virtual std::vector<Row> scan(const std::string& table) = 0;
};

struct ContenderFactory {
    std::string name;  // "raw", "plugdb", "poco", "soci"
    std::function<std::unique_ptr<Contender>()> create;
};

// One engine reached one way, e.g. "postgres (unix socket)".
struct Target {
    std::string title;
    std::string createTable;                   // DDL for t and t_bulk, with {table} for the name
    std::vector<ContenderFactory> contenders;  // the first is the raw client
};

struct Options {
    std::int64_t rows = 100'000;  // rows in t and per bulk insert
    int rounds = 7;               // rounds for point select and scan
    int bulkRounds = 3;           // rounds for bulk insert
    int pointOps = 20'000;        // point selects per contender and round (embedded)
    int pointOpsServer = 2'000;   // the same over a network or socket
    bool serverEngine = false;    // set per target by the caller
};

// Runs the three scenarios for one target and prints a table. Returns false
// when the contenders disagreed about what they read (a bug, not noise).
bool runTarget(const Target& target, const Options& options);

// The pool's acquire + release cost, uncontended and 32 threads on 8 connections.
void runPoolBenchmark(bool quick);

}  // namespace plugdb::bench
