// The named queries prepared on one connection, kept with it in the pool and
// destroyed with it (before it): each query is prepared once per connection.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "plugdb/driver.h"

namespace plugdb::detail {

struct NamedStatementCache {
    struct Entry {
        std::shared_ptr<Statement> statement;
        std::shared_ptr<std::uint64_t> runs = std::make_shared<std::uint64_t>(0);
    };
    std::map<std::string, Entry, std::less<>> entries;  // by query name
};

}  // namespace plugdb::detail
