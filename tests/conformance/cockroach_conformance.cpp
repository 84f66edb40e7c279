// The conformance kit run against the cockroach driver on the real PostgreSQL
// server the test scripts start (tests/servers); one database per test.
// CockroachDB cannot be installed here: the quirks are what PostgreSQL
// answers through the cockroach driver's wire code (type names, a failed
// statement aborting the transaction, pg_sleep, generate_series), the same
// fixture as the postgres driver's (pg_wire_quirks.cpp); what a CockroachDB
// server would answer differently is untested (plugins/cockroach/README.md).
#include "pg_wire_quirks.h"

PLUGDB_CONFORMANCE(Cockroach, plugdb::conformance::pgWireQuirks("cockroach"));
PLUGDB_KV_CONFORMANCE(Cockroach, plugdb::conformance::pgWireKvQuirks("cockroach"));
