// What KvScan, KvBatch and KvSnapshot hold.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "byte_arena.h"
#include "key_value_backend.h"
#include "plugdb/key_value.h"

namespace plugdb::detail {

// An open snapshot: one connection inside its read snapshot, ended when the
// snapshot and every scan opened in it are gone.
struct KvSnapshotSession {
    KvSnapshotSession(std::shared_ptr<KvContext> ctx, std::unique_ptr<KvBackend> b)
        : context(std::move(ctx)), backend(std::move(b)) {}
    ~KvSnapshotSession() { backend->endSnapshot(); }
    KvSnapshotSession(const KvSnapshotSession&) = delete;
    KvSnapshotSession& operator=(const KvSnapshotSession&) = delete;

    std::shared_ptr<KvContext> context;
    std::unique_ptr<KvBackend> backend;
};

struct KvScanState {
    std::shared_ptr<KvSnapshotSession> snapshot;  // the snapshot read in, if any; outlives cursor
    std::unique_ptr<KvCursor> cursor;             // nullptr: an empty range
    std::uint64_t remaining = 0;                  // pairs the limit still allows; 0: no limit
    bool limited = false;
    std::string key;
    std::string value;
};

struct KvBatchState {
    std::shared_ptr<KvContext> context;
    std::string ns;
    KvLimits limits;
    // The writes view their keys and values in `bytes` (and `ns`: the state
    // stays where it is when the batch moves): no allocation a write.
    ByteArena bytes;
    std::vector<KvWrite> writes;
};

struct KvSnapshotState {
    std::shared_ptr<KvSnapshotSession> session;
    std::string ns;
};

// A scan over `bounds` on `backend`, timed as kv_scan; an empty range borrows nothing.
std::unique_ptr<KvScanState> openScan(KvBackend& backend, Metrics& metrics, std::string_view ns,
                                      const KvBounds& bounds,
                                      std::shared_ptr<KvSnapshotSession> snapshot);

// The bounds of a prefix scan.
KvBounds prefixBounds(std::string_view prefix, const KvScanOptions& options);

}  // namespace plugdb::detail
