// What plugdb serve reads from the configuration besides the database: the
// address to listen on and the HTTP limits. Read and checked before anything
// starts, so a bad value ends serve at once (exit 78).
#pragma once

#include <Poco/Net/SocketAddress.h>

#include "http_server.h"
#include "plugdb/config.h"

namespace plugdb::host {

struct ServeSettings {
    Poco::Net::SocketAddress listen;
    http::Limits limits;

    // Also checks the database keys serve reads later (migrate.auto, the
    // migration options, connect.backoff_*), which a retry would not fix.
    // Throws plugdb::Error (config) naming the key.
    static ServeSettings fromConfig(const Config& config);
};

}  // namespace plugdb::host
