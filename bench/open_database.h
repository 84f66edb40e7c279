// How both benchmarks open plugdb's side: the URL only, so what is measured
// does not depend on the directory the program runs in.
#pragma once

#include <string>

#include "plugdb/database.h"

namespace plugdb::bench {

// A Database on `url` with the default settings and no named queries (a
// ./queries folder where the benchmark runs would otherwise be loaded and
// checked against the benchmark's database).
Database openDatabase(const std::string& url);

}  // namespace plugdb::bench
