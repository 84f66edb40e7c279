// Private to core: whether a text starts with a URL scheme ("postgres:",
// "sqlite:"), so a URL that fails to parse is reported for what is wrong in
// it rather than as having no scheme.
#pragma once

#include <string_view>

namespace plugdb {

bool hasUrlScheme(std::string_view text);

}  // namespace plugdb
