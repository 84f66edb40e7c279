#include "plugdb/transaction_retry.h"

namespace plugdb {

// Out of line: the interface's type_info lives once, in core, so dynamic_cast
// finds it across plugins.
TransactionRetryProvider::~TransactionRetryProvider() = default;

}  // namespace plugdb
