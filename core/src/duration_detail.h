// Private to core: why parseDuration refused a text, for Config::getDuration's
// message.
#pragma once

#include <string_view>

namespace plugdb::detail {

// A positive duration under 1ms: it would round to 0, which means "none" for
// every duration key, so it is refused rather than silently turned off.
bool isBelowDurationResolution(std::string_view text);

}  // namespace plugdb::detail
