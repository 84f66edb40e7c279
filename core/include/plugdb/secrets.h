// Secret masking. Every password core learns of is remembered here, and every
// string leaving the process (logs, errors, CLI output, HTTP) goes through mask().
#pragma once

#include <string>
#include <string_view>

namespace plugdb::secrets {

inline constexpr const char* kMask = "****";

// Remembers a secret so mask() hides it wherever it appears. Thread-safe.
void remember(std::string_view secret);

// Hides remembered secrets, passwords in URLs ("user:****@host") and the
// values of key=value pairs and JSON members whose key isSecretName().
std::string mask(std::string_view text);

// The one rule for what holds a secret, used for configuration keys
// ("db.password", "db.options.sslpassword"), driver options in URLs, and the
// pairs mask() hides ("PGPASSWORD=", "Pwd=", "\"token\":"). Case-insensitive;
// only the part after the last '.' counts. A secret when that part ends with,
// or has a word (between '_' or '-') equal to, password, passwd, pwd, secret
// or token, unless it ends with "_file" (a path to a secret is not secret);
// and the driver option db.options.key (an encryption key).
bool isSecretName(std::string_view name);

}  // namespace plugdb::secrets
