#include "connection.h"

#include "follower_read.h"

namespace plugdb::cockroach {

// CockroachDB reports its own version in the crdb_version parameter; its
// server_version is the PostgreSQL version it is compatible with. Another
// server speaking the protocol is named for what it says it is.
std::string CockroachConnection::serverVersion() {
    if (const char* crdb = PQparameterStatus(handle().conn, "crdb_version")) return crdb;
    const char* version = PQparameterStatus(handle().conn, "server_version");
    return std::string("PostgreSQL ") + (version ? version : "unknown");
}

std::string CockroachConnection::staleReadBegin(const StaleRead& read) const {
    return followerReadBegin(read);
}

}  // namespace plugdb::cockroach
