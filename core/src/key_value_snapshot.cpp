#include <utility>

#include "key_value_checks.h"
#include "key_value_state.h"

namespace plugdb {

KvSnapshot::KvSnapshot(std::unique_ptr<detail::KvSnapshotState> state) : state_(std::move(state)) {}
KvSnapshot::KvSnapshot(KvSnapshot&&) noexcept = default;
KvSnapshot& KvSnapshot::operator=(KvSnapshot&&) noexcept = default;
KvSnapshot::~KvSnapshot() = default;

namespace {
detail::KvSnapshotState& stateOf(const std::unique_ptr<detail::KvSnapshotState>& state) {
    if (!state) throw Error(ErrorCategory::InvalidArgument, "the snapshot was moved from");
    return *state;
}
}  // namespace

std::optional<std::string> KvSnapshot::get(std::string_view key) {
    detail::KvSnapshotState& s = stateOf(state_);
    detail::checkKey(key, s.session->context->limits());
    const detail::KvTimer timer(s.session->context->metrics(), detail::Operation::KvGet);
    return s.session->backend->get(s.ns, key);
}

bool KvSnapshot::contains(std::string_view key) {
    return get(key).has_value();
}

KvScan KvSnapshot::scan(KvBounds bounds) {
    detail::KvSnapshotState& s = stateOf(state_);
    return KvScan(detail::openScan(*s.session->backend, s.session->context->metrics(), s.ns, bounds,
                                   s.session));
}

KvScan KvSnapshot::scanPrefix(std::string_view prefix, KvScanOptions options) {
    return scan(detail::prefixBounds(prefix, options));
}

}  // namespace plugdb
