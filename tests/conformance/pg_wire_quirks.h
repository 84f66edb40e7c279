// The conformance kit's fixture for the drivers that speak PostgreSQL's
// protocol (postgres, cockroach): both run against the real PostgreSQL server
// the test scripts start (tests/servers), one database per test, so what the
// server answers is the same through either driver's wire code.
#pragma once

#include <string>

#include "conformance.h"
#include "key_value_conformance.h"

namespace plugdb::conformance {

// `driver` is the plugin's name and the URL scheme that reaches it.
Quirks pgWireQuirks(const std::string& driver);
KvQuirks pgWireKvQuirks(const std::string& driver);

}  // namespace plugdb::conformance
