// Turning rocksdb::Status into plugdb::Error.
#pragma once

#include <rocksdb/status.h>

#include <string_view>

#include "plugdb/error.h"

namespace plugdb::rocks {

// The error for a failed `status`; `doing` says what failed, e.g. "reading key
// of namespace users in ./var/kv".
Error statusError(const ::rocksdb::Status& status, std::string_view doing);

// Throws statusError unless the status is ok.
void check(const ::rocksdb::Status& status, std::string_view doing);

// Details for errors raised by the plugin itself rather than the engine.
ErrorDetails pluginDetails(int nativeCode = 0);

// What SQL calls on this driver throw: the sentence saying which commands apply.
Error sqlRefused(std::string_view call);

}  // namespace plugdb::rocks
