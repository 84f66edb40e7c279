// Secret masking. Every password core learns of is remembered here, and every
// string leaving the process (logs, errors, CLI output, HTTP) goes through mask().
#pragma once

#include <string>
#include <string_view>

namespace plugdb::secrets {

inline constexpr const char* kMask = "****";

// Remembers a secret so mask() hides it wherever it appears. Thread-safe.
void remember(std::string_view secret);

// Hides remembered secrets, passwords in URLs ("user:****@host") and
// password-like key=value pairs ("password=****").
std::string mask(std::string_view text);

}  // namespace plugdb::secrets
