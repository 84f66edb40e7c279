// An extension interface (driver ABI 1.2) for a Connection whose prepare()
// does not reach the server (it sends the statement with its first execute):
// core asks it to check a statement without running it, so a named query
// with a typo fails when the database opens. Found by dynamic_cast; a
// connection without it is checked through prepare().
#pragma once

#include <string_view>

namespace plugdb {

class StatementChecker {
public:
    virtual ~StatementChecker();
    // Has the server parse and plan `sql` (in the dialect's placeholder
    // style) without running it; throws plugdb::Error as execute() would.
    virtual void checkStatement(std::string_view sql) = 0;
};

}  // namespace plugdb
