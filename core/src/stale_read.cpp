#include "plugdb/stale_read.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
StaleReadSource::~StaleReadSource() = default;

}  // namespace plugdb
