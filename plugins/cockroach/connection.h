// One CockroachDB session: a PostgreSQL-protocol session that also reads in
// the past (follower reads) and names CockroachDB's version.
#pragma once

#include <memory>
#include <string>

#include "plugdb/stale_read.h"
#include "postgres/connection.h"

namespace plugdb::cockroach {

class CockroachConnection final : public postgres::PgConnection, public StaleReadSource {
public:
    explicit CockroachConnection(std::shared_ptr<postgres::Handle> handle)
        : PgConnection(std::move(handle)) {}

    std::string serverVersion() override;
    std::string staleReadBegin(const StaleRead& read) const override;
};

}  // namespace plugdb::cockroach
