#include "error.h"

#include <string>

namespace plugdb::rocks {
namespace {

ErrorCategory categoryOf(const ::rocksdb::Status& status) {
    using Code = ::rocksdb::Status::Code;
    switch (status.code()) {
        case Code::kNotFound:  // a file of the database, never a key: keys come back as nullopt
        case Code::kIOError:
            if (status.subcode() == ::rocksdb::Status::kNoSpace) return ErrorCategory::Other;
            return status.IsPathNotFound() ? ErrorCategory::Connection : ErrorCategory::Other;
        case Code::kBusy:
        case Code::kTimedOut:
        case Code::kTryAgain:
            return ErrorCategory::Timeout;
        case Code::kInvalidArgument:
            return ErrorCategory::InvalidArgument;
        case Code::kNotSupported:
            return ErrorCategory::Unsupported;
        case Code::kCorruption:
        case Code::kAborted:
        case Code::kIncomplete:
        default:
            return ErrorCategory::Other;
    }
}

}  // namespace

ErrorDetails pluginDetails(int nativeCode) {
    return {"rocksdb", nativeCode, {}};
}

Error statusError(const ::rocksdb::Status& status, std::string_view doing) {
    std::string message = "rocksdb: " + status.ToString();
    if (!doing.empty()) message += " (" + std::string(doing) + ")";
    return Error(categoryOf(status), message, pluginDetails(static_cast<int>(status.code())));
}

void check(const ::rocksdb::Status& status, std::string_view doing) {
    if (!status.ok()) throw statusError(status, doing);
}

Error sqlRefused(std::string_view call) {
    return Error(ErrorCategory::Unsupported,
                 "rocksdb: " + std::string(call) +
                     " refused: rocksdb is a key-value engine and runs no SQL; use "
                     "'plugdb kv get|put|del|scan|export|import' (Database::kv in C++) and "
                     "code-based migrations with it",
                 pluginDetails());
}

}  // namespace plugdb::rocks
