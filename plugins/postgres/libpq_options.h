// The libpq keywords a URL query or db.options.* may set, declared once for
// every driver that connects through libpq.
#pragma once

#include "plugdb/driver_options.h"

namespace plugdb::postgres {

const DriverOptions& libpqOptions();

}  // namespace plugdb::postgres
