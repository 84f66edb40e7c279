// The error of one statement of several that plugdb sql runs: "statement N: "
// before the message, with the category and every detail of the original
// (engine, native code, SQLSTATE, retryable) passed through.
#pragma once

#include <cstddef>
#include <string>

#include "plugdb/error.h"

namespace plugdb::host {

inline Error inStatement(const Error& error, std::size_t number) {
    return Error(error.category(), "statement " + std::to_string(number) + ": " + error.what(),
                 error.details());
}

}  // namespace plugdb::host
