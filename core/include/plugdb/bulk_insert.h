// A load of many rows into one table within a transaction.
#pragma once

#include <cstdint>
#include <memory>

#include "plugdb/params.h"

namespace plugdb {

class Transaction;

// Many rows loaded into one table within a transaction: through the driver's
// bulk path where it has one (capability bulk_load, e.g. COPY on PostgreSQL),
// as batched multi-row INSERTs otherwise. Until finish(), the transaction runs
// nothing else; errors may surface only when a batch is sent or at finish().
class BulkInsert {
public:
    BulkInsert(BulkInsert&&) noexcept;
    BulkInsert& operator=(BulkInsert&&) noexcept;
    // Without finish(), abandons the load; the transaction must then roll back.
    ~BulkInsert();

    // One row, a value per column in the order given to Transaction::bulkInsert.
    void add(Params row);
    // Sends the rest and ends the load; returns the rows inserted. The
    // transaction stays open: commit it to keep the rows.
    std::int64_t finish();

    struct State;

private:
    friend class Transaction;
    explicit BulkInsert(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

}  // namespace plugdb
