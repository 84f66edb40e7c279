// plugdb serve: keeps the database open and answers health probes over HTTP
// (/live, /livez, /ready, /readyz, /health, /health/database,
// /health/detailed, /metrics; see health_routes.h) until SIGTERM or SIGINT.
// Wiring only: the settings, the database holder, the routes, the HTTP
// server and the shutdown trigger each have their own file.
#include <iostream>

#include "commands.h"
#include "database_holder.h"
#include "health_routes.h"
#include "http_server.h"
#include "logging.h"
#include "plugdb/error.h"
#include "serve_settings.h"
#include "shutdown_trigger.h"

namespace plugdb::host {

int runServe(const Invocation& inv) {
    if (!inv.args.empty()) throw Error(ErrorCategory::InvalidArgument, "serve takes no arguments");
    const ServeSettings serve = ServeSettings::fromConfig(inv.config);

    // Before any thread starts, so every thread inherits the blocked signals.
    ShutdownTrigger shutdown;

    const auto started = std::chrono::steady_clock::now();
    DatabaseHolder holder(inv.config, [&shutdown] { shutdown.trigger(); });
    // Bound before the database opens: a taken address fails here, at once.
    http::Server server(serve.listen, healthRoutes(holder, started), serve.limits);
    server.start();
    holder.start();
    const std::string bound = server.boundAddress();
    std::cout << "listening on http://" << bound << std::endl;
    logger().information("serving health endpoints on http://" + bound + " (at most " +
                         std::to_string(serve.limits.maxConnections) +
                         " connections, request heads within " +
                         std::to_string(serve.limits.headTimeout.count()) + " ms)");

    if (const std::string signal = shutdown.wait(); !signal.empty())
        logger().information("received " + signal + ", shutting down");
    server.stop();
    holder.stop();
    if (auto error = holder.fatalError()) throw *error;
    return kExitOk;
}

}  // namespace plugdb::host
