// How the engines speaking PostgreSQL's protocol take parameters and quote
// identifiers: the same answer for each of them.
#pragma once

#include "plugdb/driver.h"

namespace plugdb::postgres {

// $1, $2, ... placeholders; identifiers in double quotes.
const Dialect& dollarNumberDialect();

}  // namespace plugdb::postgres
