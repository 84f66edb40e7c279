#include "open_database.h"

#include "plugdb/config.h"

namespace plugdb::bench {

Database openDatabase(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("db.url", url, Layer::CommandLine, "bench");
    config.set("queries.path", "", Layer::CommandLine, "bench");
    return Database::open(config);
}

}  // namespace plugdb::bench
