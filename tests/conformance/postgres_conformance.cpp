// The conformance kit run against the PostgreSQL driver on the real server the
// test scripts start (tests/servers); one database per test. The fixture is
// the one the cockroach driver shares (pg_wire_quirks.cpp).
#include "pg_wire_quirks.h"

PLUGDB_CONFORMANCE(Postgres, plugdb::conformance::pgWireQuirks("postgres"));
PLUGDB_KV_CONFORMANCE(Postgres, plugdb::conformance::pgWireKvQuirks("postgres"));
