// What the CLI tests of several folders ask a running `plugdb serve` child:
// its port, one GET on loopback, and its readiness.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "process.h"

namespace plugdb::test {

// Status and body of GET http://127.0.0.1:PORT/PATH.
std::pair<int, std::string> httpGet(int port, const std::string& path);

// The port that `serve --listen 127.0.0.1:0` prints on its first line; nullopt
// when the first line (within 10 s) is not "listening on http://127.0.0.1:PORT".
std::optional<int> listeningPort(Child& child);

// Polls /ready every 50 ms, at most `attempts` times, until its body contains
// `expected`; the last answer.
std::pair<int, std::string> pollReady(int port, const std::string& expected, int attempts);

}  // namespace plugdb::test
