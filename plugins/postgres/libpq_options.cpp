#include "libpq_options.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plugdb::postgres {

// Core refuses anything else by name rather than libpq ignoring or rejecting it later.
const DriverOptions& libpqOptions() {
    using Kind = DriverOption::Kind;
    const auto text = [](const char* name, const char* description,
                         std::vector<std::string> choices = {}) {
        return DriverOption{name, Kind::Text, description, std::move(choices)};
    };
    const auto count = [](const char* name, const char* description, std::int64_t max) {
        return DriverOption{name, Kind::Int, description, {}, 0, max};
    };
    static const DriverOptions kOptions{{
        text("application_name", "the name the server shows for the session (plugdb)"),
        text("channel_binding", "SCRAM channel binding", {"disable", "prefer", "require"}),
        count("connect_timeout", "seconds to wait for a connection (10)", 2147483647),
        text("gssencmode", "GSSAPI encryption", {"disable", "prefer", "require"}),
        text("host", "host names or socket directories, comma-separated"),
        text("hostaddr", "numeric addresses, comma-separated"),
        count("keepalives", "1: TCP keepalives on, 0: off", 1),
        count("keepalives_count", "lost keepalives before the connection is dropped", 2147483647),
        count("keepalives_idle", "idle seconds before a keepalive", 2147483647),
        count("keepalives_interval", "seconds between keepalives", 2147483647),
        text("options", "server settings sent at connect, e.g. -c statement_timeout=5s"),
        text("passfile", "the password file"),
        text("port", "ports, comma-separated"),
        text("sslcert", "the client certificate file"),
        text("sslcrl", "the certificate revocation list file"),
        text("sslkey", "the client key file"),
        text("sslmode", "TLS",
             {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}),
        text("sslpassword", "the client key's password"),
        text("sslrootcert", "the CA certificate file"),
        text("target_session_attrs", "which server of several to use",
             {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"}),
        count("tcp_user_timeout", "milliseconds unacknowledged data may wait", 2147483647),
    }};
    return kOptions;
}

}  // namespace plugdb::postgres
