#include "plugdb/driver.h"

#include <array>

namespace plugdb {

// Out-of-line destructors anchor the vtables and type_info in core.
Statement::~Statement() = default;
Connection::~Connection() = default;
Driver::~Driver() = default;
BulkWriter::~BulkWriter() = default;

void Connection::interrupt() {}

std::unique_ptr<BulkWriter> Connection::bulkWriter(std::string_view, std::span<const std::string>) {
    return nullptr;
}

std::string DataSource::option(const std::string& key, const std::string& fallback) const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
}

std::span<const CapabilityName> capabilityNames() {
    static constexpr std::array<CapabilityName, 12> kNames{{
        {kCapTransactions, "transactions"},
        {kCapSavepoints, "savepoints"},
        {kCapReturning, "returning"},
        {kCapLastInsertId, "last_insert_id"},
        {kCapTransactionalDdl, "transactional_ddl"},
        {kCapAdvisoryLocks, "advisory_locks"},
        {kCapBulkLoad, "bulk_load"},
        {kCapKeyValue, "key_value"},
        {kCapInterrupt, "interrupt"},
        {kCapEmbedded, "embedded"},
        {kCapReadOnlyMode, "read_only_mode"},
        {kCapConcurrentCursors, "concurrent_cursors"},
    }};
    return kNames;
}

std::string capabilitiesToString(std::uint64_t caps) {
    std::string out;
    for (const auto& [bit, name] : capabilityNames()) {
        if ((caps & bit) == 0) continue;
        if (!out.empty()) out += ',';
        out += name;
    }
    return out;
}

}  // namespace plugdb
