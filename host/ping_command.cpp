#include <chrono>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "logging.h"
#include "plugdb/database.h"

namespace plugdb::host {

int runPing(const Invocation& inv) {
    const auto openStart = std::chrono::steady_clock::now();
    Database db = Database::open(oneShot(inv.config));
    const auto opened = std::chrono::steady_clock::now();
    const std::string version = db.serverVersion();
    const auto pingStart = std::chrono::steady_clock::now();
    db.ping();
    const auto pingEnd = std::chrono::steady_clock::now();

    auto ms = [](auto duration) {
        return std::chrono::duration<double, std::milli>(duration).count();
    };
    char timing[96];
    std::snprintf(timing, sizeof timing, "round trip %.3f ms (connect %.3f ms)",
                  ms(pingEnd - pingStart), ms(opened - openStart));
    std::cout << "ok: " << db.info().target << "\n"
              << "driver: " << db.info().driver << " " << db.info().driverVersion << "\n"
              << "server: " << version << "\n"
              << timing << "\n";
    return kExitOk;
}

}  // namespace plugdb::host
