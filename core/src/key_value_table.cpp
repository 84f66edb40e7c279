#include "plugdb/key_value_table.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
KeyValueTableProvider::~KeyValueTableProvider() = default;

}  // namespace plugdb
