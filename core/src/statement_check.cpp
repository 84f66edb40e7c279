#include "plugdb/statement_check.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
StatementChecker::~StatementChecker() = default;

}  // namespace plugdb
