// What the tests ask a running `plugdb serve` child: its port, one GET on
// loopback, and polling an endpoint until it answers as expected.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "process.h"

namespace plugdb::test {

struct HttpReply {
    int status = 0;
    std::string contentType;
    std::string body;
};

// GET http://127.0.0.1:PORT/PATH.
HttpReply httpGet(int port, const std::string& path);

// The port that `serve --listen 127.0.0.1:0` prints on its first line; nullopt
// when the first line (within 10 s) is not "listening on http://127.0.0.1:PORT".
std::optional<int> listeningPort(Child& child);

// GETs `path` every 50 ms, at most `attempts` times, until `done` holds for
// the reply; the last reply.
HttpReply pollUntil(int port, const std::string& path,
                    const std::function<bool(const HttpReply&)>& done, int attempts);

}  // namespace plugdb::test
