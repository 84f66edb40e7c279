// The statement that begins a follower read: a read-only transaction as of
// a time in the past, which the nearest replica can serve.
#pragma once

#include <string>

#include "plugdb/stale_read.h"

namespace plugdb::cockroach {

// staleness 0: AS OF SYSTEM TIME follower_read_timestamp(), the most recent
// time followers can serve; otherwise exactly that long ago.
std::string followerReadBegin(const StaleRead& read);

}  // namespace plugdb::cockroach
