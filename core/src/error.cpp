#include "plugdb/error.h"

namespace plugdb {

const char* toString(ErrorCategory category) {
    switch (category) {
        case ErrorCategory::Connection:
            return "connection";
        case ErrorCategory::Auth:
            return "auth";
        case ErrorCategory::Permission:
            return "permission";
        case ErrorCategory::Timeout:
            return "timeout";
        case ErrorCategory::UniqueViolation:
            return "unique_violation";
        case ErrorCategory::ForeignKey:
            return "foreign_key_violation";
        case ErrorCategory::NotNull:
            return "not_null_violation";
        case ErrorCategory::Check:
            return "check_violation";
        case ErrorCategory::Constraint:
            return "constraint_violation";
        case ErrorCategory::Serialization:
            return "serialization_failure";
        case ErrorCategory::Syntax:
            return "syntax";
        case ErrorCategory::InvalidArgument:
            return "invalid_argument";
        case ErrorCategory::Config:
            return "config";
        case ErrorCategory::Plugin:
            return "plugin";
        case ErrorCategory::Unsupported:
            return "unsupported";
        case ErrorCategory::CommitUnknown:
            return "commit_unknown";
        case ErrorCategory::Other:
            return "other";
        case ErrorCategory::DataException:
            return "data_exception";
    }
    return "other";
}

Error::Error(ErrorCategory category, const std::string& message, Details details)
    : std::runtime_error(message), category_(category), details_(std::move(details)) {}

// Out of line so the vtable and type_info live in core, shared by every plugin.
Error::~Error() = default;

}  // namespace plugdb
