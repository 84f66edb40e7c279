#include "key_value_checks.h"

#include <string>

#include "plugdb/error.h"

namespace plugdb::detail {
namespace {

constexpr std::size_t kMaxNamespaceBytes = 64;
constexpr std::string_view kReservedPrefix = "plugdb.";

bool namespaceByte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
}

[[noreturn]] void refuse(const std::string& message) {
    throw Error(ErrorCategory::InvalidArgument, "key-value: " + message);
}

void checkSize(const char* what, std::size_t size, std::uint64_t limit, const char* limitName) {
    if (limit != 0 && size > limit)
        refuse(std::string("the ") + what + " is " + std::to_string(size) +
               " bytes, above the engine's " + limitName + " of " + std::to_string(limit) +
               " bytes");
}

}  // namespace

void checkNamespace(std::string_view ns, bool reserved) {
    if (ns.empty() || ns.size() > kMaxNamespaceBytes)
        refuse("a namespace is 1 to 64 bytes; '" + std::string(ns.substr(0, 80)) + "' has " +
               std::to_string(ns.size()));
    for (const char c : ns)
        if (!namespaceByte(c))
            refuse("the namespace '" + std::string(ns) +
                   "' may hold only letters, digits, '_', '.' and '-'");
    if (!reserved && ns.starts_with(kReservedPrefix))
        refuse("the namespace '" + std::string(ns) +
               "' starts with 'plugdb.', which is reserved for plugdb's own data");
}

void checkKey(std::string_view key, const KvLimits& limits) {
    if (key.empty()) refuse("a key cannot be empty");
    checkSize("key", key.size(), limits.maxKeyBytes, "key limit (maxKeyBytes)");
}

void checkValue(std::string_view value, const KvLimits& limits) {
    checkSize("value", value.size(), limits.maxValueBytes, "value limit (maxValueBytes)");
}

std::optional<std::string> prefixEnd(std::string_view prefix) {
    std::string end(prefix);
    while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
    if (end.empty()) return std::nullopt;
    end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
    return end;
}

}  // namespace plugdb::detail
