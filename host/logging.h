#pragma once

#include <Poco/Logger.h>

#include "plugdb/config.h"

namespace plugdb::host {

// Sets the level (log.level) and format (log.format: plain or json) of the
// "plugdb" logger; every line is masked before it is written to stderr.
void configureLogging(const Config& config);

Poco::Logger& logger();

}  // namespace plugdb::host
