// The endpoints of plugdb serve: liveness, readiness, health (summary,
// database, detailed) and Prometheus metrics. Only /health/detailed carries
// the database's error text; the others give its category.
#pragma once

#include <chrono>
#include <vector>

#include "database_holder.h"
#include "http_server.h"

namespace plugdb::host {

// The routes over `holder`, which must outlive the server they are given to.
std::vector<http::Route> healthRoutes(DatabaseHolder& holder,
                                      std::chrono::steady_clock::time_point started);

}  // namespace plugdb::host
