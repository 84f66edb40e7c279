#include <utility>

#include "key_value_checks.h"
#include "key_value_state.h"

namespace plugdb {

KvBatch::KvBatch(std::unique_ptr<detail::KvBatchState> state) : state_(std::move(state)) {}
KvBatch::KvBatch(KvBatch&&) noexcept = default;
KvBatch& KvBatch::operator=(KvBatch&&) noexcept = default;
KvBatch::~KvBatch() = default;

namespace {
detail::KvBatchState& stateOf(const std::unique_ptr<detail::KvBatchState>& state) {
    if (!state) throw Error(ErrorCategory::InvalidArgument, "the batch was moved from");
    return *state;
}
}  // namespace

KvBatch& KvBatch::put(std::string_view key, std::string_view value) {
    detail::KvBatchState& s = stateOf(state_);
    detail::checkKey(key, s.limits);
    detail::checkValue(value, s.limits);
    s.writes.push_back({KvWrite::Kind::Put, s.ns, s.bytes.keep(key), s.bytes.keep(value)});
    return *this;
}

KvBatch& KvBatch::erase(std::string_view key) {
    detail::KvBatchState& s = stateOf(state_);
    detail::checkKey(key, s.limits);
    s.writes.push_back({KvWrite::Kind::Erase, s.ns, s.bytes.keep(key), {}});
    return *this;
}

std::size_t KvBatch::size() const {
    return state_ ? state_->writes.size() : 0;
}

// The writes are given up whether the commit succeeds or fails: a batch
// commits at most once.
void KvBatch::commit() {
    detail::KvBatchState& s = stateOf(state_);
    const detail::ByteArena bytes = std::exchange(s.bytes, {});
    const std::vector<KvWrite> writes = std::exchange(s.writes, {});
    if (writes.empty()) return;
    const detail::KvTimer timer(s.context->metrics(), detail::Operation::KvBatch);
    s.context->run([&](detail::KvBackend& b) { b.apply(writes); });
}

}  // namespace plugdb
