#include "plugdb/sql_dialect.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
SqlDialectProvider::~SqlDialectProvider() = default;

}  // namespace plugdb
