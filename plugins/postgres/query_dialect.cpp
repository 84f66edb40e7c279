#include "query_dialect.h"

namespace plugdb::postgres {

const QueryDialect& onConflictQueryDialect() {
    static const QueryDialect kQueryDialect{QueryDialect::Upsert::OnConflict, ""};
    return kQueryDialect;
}

}  // namespace plugdb::postgres
