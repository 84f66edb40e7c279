// A parsed connection URL (db.url).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plugdb {

// scheme:[//[user[:password]@]host[:port][,host[:port]...]][/path][?k=v&...] Components are
// percent-decoded. Authority-less forms ("sqlite:/tmp/x.db", "sqlite::memory:") keep everything
// after the scheme as the path.
struct Url {
    struct Host {
        std::string host;  // IPv6 without brackets
        int port = 0;
    };
    std::string scheme;  // lower-case
    bool hasAuthority = false;
    std::string user;
    std::optional<std::string> password;
    std::vector<Host> hosts;
    std::string path;  // with its leading '/' when there is an authority
    std::vector<std::pair<std::string, std::string>> query;

    // Throws plugdb::Error (config) naming what is wrong, with secrets masked.
    static Url parse(std::string_view text);
};

}  // namespace plugdb
