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
    s.bytes.append(key).append(value);
    s.pending.push_back({KvWrite::Kind::Put, key.size(), value.size()});
    return *this;
}

KvBatch& KvBatch::erase(std::string_view key) {
    detail::KvBatchState& s = stateOf(state_);
    detail::checkKey(key, s.limits);
    s.bytes.append(key);
    s.pending.push_back({KvWrite::Kind::Erase, key.size(), 0});
    return *this;
}

std::size_t KvBatch::size() const {
    return state_ ? state_->pending.size() : 0;
}

// The writes are given up whether the commit succeeds or fails: a batch
// commits at most once.
void KvBatch::commit() {
    detail::KvBatchState& s = stateOf(state_);
    const std::string bytes = std::exchange(s.bytes, {});
    const std::vector<detail::KvBatchState::Pending> pending = std::exchange(s.pending, {});
    if (pending.empty()) return;
    std::vector<KvWrite> writes;
    writes.reserve(pending.size());
    const std::string_view all(bytes);
    std::size_t at = 0;
    for (const auto& p : pending) {
        writes.push_back(
            {p.kind, s.ns, all.substr(at, p.keySize), all.substr(at + p.keySize, p.valueSize)});
        at += p.keySize + p.valueSize;
    }
    const detail::KvTimer timer(s.context->metrics(), detail::Operation::KvBatch);
    s.context->run([&](detail::KvBackend& b) { b.apply(writes); });
}

}  // namespace plugdb
