// Typed errors: callers decide on the category, never by parsing messages.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace plugdb {

enum class ErrorCategory {
    Connection,       // cannot reach the server, connection lost
    Auth,             // authentication failed
    Permission,       // authenticated but not allowed (read-only database, privileges)
    Timeout,          // statement, lock or pool wait ran out of time
    UniqueViolation,  // duplicate key
    ForeignKey,       // foreign key violation
    NotNull,          // NULL into a NOT NULL column
    Check,            // CHECK constraint failed
    Constraint,       // any other constraint violation
    Serialization,    // serialization failure or deadlock: retrying the transaction may succeed
    Syntax,           // SQL the engine does not understand, unknown table or column
    InvalidArgument,  // API misuse: wrong parameter count, NULL read as a number, ...
    Config,           // bad or missing configuration
    Plugin,           // a driver plugin could not be found or loaded
    Unsupported,      // the driver lacks this capability
    CommitUnknown,    // the connection failed during COMMIT: the transaction may or may not have
                      // committed
    Other,            // an engine error with no better category
};

inline constexpr std::size_t kErrorCategoryCount =
    static_cast<std::size_t>(ErrorCategory::Other) + 1;

// Stable lower_snake_case name, e.g. "unique_violation", used in output and metrics.
const char* toString(ErrorCategory category);

struct ErrorDetails {
    std::string engine;    // "sqlite", "postgres", ... empty for core errors
    int nativeCode = 0;    // engine's own code (SQLite extended result code, MySQL errno)
    std::string sqlState;  // five-character SQLSTATE where the engine has one
    // Set by a driver for errors outside the serialization category after
    // which retrying the whole transaction is safe and may succeed (a lock wait
    // timeout that rolled back only the statement, for instance).
    bool retryable = false;
};

class Error : public std::runtime_error {
public:
    using Details = ErrorDetails;

    Error(ErrorCategory category, const std::string& message, Details details = {});
    ~Error() override;

    ErrorCategory category() const noexcept { return category_; }
    const std::string& engine() const noexcept { return details_.engine; }
    int nativeCode() const noexcept { return details_.nativeCode; }
    const std::string& sqlState() const noexcept { return details_.sqlState; }

    // True when the whole transaction may be retried (serialization failure,
    // deadlock, or what the driver marked as retryable).
    bool retryable() const noexcept {
        return category_ == ErrorCategory::Serialization || details_.retryable;
    }
    const Details& details() const noexcept { return details_; }

private:
    ErrorCategory category_;
    Details details_;
};

}  // namespace plugdb
