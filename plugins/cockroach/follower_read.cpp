#include "follower_read.h"

namespace plugdb::cockroach {

std::string followerReadBegin(const StaleRead& read) {
    if (read.staleness.count() <= 0)
        return "BEGIN TRANSACTION AS OF SYSTEM TIME follower_read_timestamp()";
    // A negative interval from the statement's time. The number is ours, not
    // the caller's text, so it is written into the statement (BEGIN takes no
    // parameters).
    return "BEGIN TRANSACTION AS OF SYSTEM TIME '-" + std::to_string(read.staleness.count()) +
           "ms'";
}

}  // namespace plugdb::cockroach
