// What core checks before a key-value call reaches the engine: namespace
// names, keys and values against the limits in force.
#pragma once

#include <string_view>

#include "plugdb/key_value_store.h"

namespace plugdb::detail {

// 1-64 bytes of [A-Za-z0-9_.-]; the "plugdb." prefix only when `reserved`.
void checkNamespace(std::string_view ns, bool reserved);
void checkKey(std::string_view key, const KvLimits& limits);
void checkValue(std::string_view value, const KvLimits& limits);

// The smallest key after every key starting with `prefix`; std::nullopt when
// there is none (the prefix is empty or all 0xff bytes).
std::optional<std::string> prefixEnd(std::string_view prefix);

}  // namespace plugdb::detail
