// Bulk load through COPY ... FROM STDIN in text format.
#pragma once

#include <memory>
#include <string>

#include "connection.h"

namespace plugdb::postgres {

class PgCopyWriter final : public BulkWriter {
public:
    // Starts `COPY table (columns) FROM STDIN` on the session.
    PgCopyWriter(Handle& handle, std::string_view table, std::span<const std::string> columns);
    ~PgCopyWriter() override;

    void write(std::span<const Value> row) override;
    std::int64_t finish() override;

private:
    void flush();
    // Reads the COPY's outcome; throws plugdb::Error when it failed.
    std::int64_t collectResult();

    Handle& handle_;  // core destroys writers before their connection
    std::string buffer_;
    bool open_ = false;
};

}  // namespace plugdb::postgres
