// Private to core: used by Config::set so a db.url password is masked from
// the moment it is known, before the URL is parsed or found to be malformed.
#pragma once

#include <string_view>

namespace plugdb {

void rememberUrlPassword(std::string_view text);

}  // namespace plugdb
