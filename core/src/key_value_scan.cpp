#include <utility>

#include "key_value_checks.h"
#include "key_value_state.h"

namespace plugdb {

KvScan::KvScan(std::unique_ptr<detail::KvScanState> state) : state_(std::move(state)) {}
KvScan::KvScan(KvScan&&) noexcept = default;
KvScan& KvScan::operator=(KvScan&&) noexcept = default;
KvScan::~KvScan() = default;

bool KvScan::next() {
    if (!state_ || !state_->cursor) return false;
    detail::KvScanState& s = *state_;
    if (s.limited && s.remaining == 0) {
        s.cursor.reset();  // gives the connection back
        return false;
    }
    if (!s.cursor->next()) {
        s.cursor.reset();
        s.snapshot.reset();
        return false;
    }
    s.key = s.cursor->key();
    s.value = s.cursor->value();
    if (s.limited) --s.remaining;
    return true;
}

const std::string& KvScan::key() const {
    static const std::string kNone;
    return state_ ? state_->key : kNone;
}

const std::string& KvScan::value() const {
    static const std::string kNone;
    return state_ ? state_->value : kNone;
}

namespace detail {

std::unique_ptr<KvScanState> openScan(KvBackend& backend, Metrics& metrics, std::string_view ns,
                                      const KvBounds& bounds,
                                      std::shared_ptr<KvSnapshotSession> snapshot) {
    auto state = std::make_unique<KvScanState>();
    state->limited = bounds.limit != 0;
    state->remaining = bounds.limit;
    if (bounds.end && *bounds.end <= bounds.begin) return state;  // an empty range
    const KvTimer timer(metrics, Operation::KvScan);
    state->cursor = backend.scan(ns, bounds);
    state->snapshot = std::move(snapshot);
    return state;
}

KvBounds prefixBounds(std::string_view prefix, const KvScanOptions& options) {
    return KvBounds{std::string(prefix), prefixEnd(prefix), options.reverse, options.limit};
}

}  // namespace detail
}  // namespace plugdb
