#include "dialect.h"

namespace plugdb::postgres {

const Dialect& dollarNumberDialect() {
    static const Dialect kDialect{Dialect::Placeholders::DollarNumber, '"'};
    return kDialect;
}

}  // namespace plugdb::postgres
