#include "plugdb/key_value.h"

#include <utility>

#include "key_value_checks.h"
#include "key_value_state.h"
#include "plugdb/database.h"

namespace plugdb {

KeyValue Database::kv(std::string_view ns) {
    detail::checkNamespace(ns, false);
    return KeyValue(detail::kvContextFor(core_, queryTimeout_), std::string(ns));
}

KeyValue detail::reservedKeyValue(Database& db, std::string_view ns) {
    checkNamespace(ns, true);
    // Database::kv() refuses the reserved names: take a view of a plain one
    // and point it at `ns`.
    KeyValue kv = db.kv("plugdb-reserved");
    kv.ns_ = std::string(ns);
    return kv;
}

KeyValue::KeyValue(std::shared_ptr<detail::KvContext> context, std::string ns)
    : context_(std::move(context)), ns_(std::move(ns)) {}

std::optional<std::string> KeyValue::get(std::string_view key) {
    detail::checkKey(key, limits());
    const detail::KvTimer timer(context_->metrics(), detail::Operation::KvGet);
    return context_->run([&](detail::KvBackend& b) { return b.get(ns_, key); });
}

std::vector<std::optional<std::string>> KeyValue::getMany(std::span<const std::string> keys) {
    const KvLimits limits = this->limits();
    for (const auto& key : keys) detail::checkKey(key, limits);
    std::vector<std::optional<std::string>> values;
    values.reserve(keys.size());
    if (keys.empty()) return values;
    const detail::KvTimer timer(context_->metrics(), detail::Operation::KvGet);
    context_->run([&](detail::KvBackend& b) {  // one connection for all of them
        for (const auto& key : keys) values.push_back(b.get(ns_, key));
    });
    return values;
}

bool KeyValue::contains(std::string_view key) {
    return get(key).has_value();
}

void KeyValue::put(std::string_view key, std::string_view value) {
    const KvLimits limits = this->limits();
    detail::checkKey(key, limits);
    detail::checkValue(value, limits);
    const detail::KvTimer timer(context_->metrics(), detail::Operation::KvPut);
    const KvWrite write{KvWrite::Kind::Put, ns_, key, value};
    context_->run([&](detail::KvBackend& b) { b.apply(std::span(&write, 1)); });
}

bool KeyValue::erase(std::string_view key) {
    detail::checkKey(key, limits());
    const detail::KvTimer timer(context_->metrics(), detail::Operation::KvPut);
    return context_->run([&](detail::KvBackend& b) { return b.erase(ns_, key); });
}

bool KeyValue::compareAndSet(std::string_view key, const std::optional<std::string>& expected,
                             std::string_view desired) {
    const KvLimits limits = this->limits();
    detail::checkKey(key, limits);
    detail::checkValue(desired, limits);
    const detail::KvTimer timer(context_->metrics(), detail::Operation::KvPut);
    const std::optional<std::string> value{std::string(desired)};
    return context_->run(
        [&](detail::KvBackend& b) { return b.compareAndSet(ns_, key, expected, value); });
}

bool KeyValue::putIfAbsent(std::string_view key, std::string_view value) {
    return compareAndSet(key, std::nullopt, value);
}

bool KeyValue::eraseIf(std::string_view key, std::string_view expected) {
    detail::checkKey(key, limits());
    const detail::KvTimer timer(context_->metrics(), detail::Operation::KvPut);
    const std::optional<std::string> current{std::string(expected)};
    return context_->run(
        [&](detail::KvBackend& b) { return b.compareAndSet(ns_, key, current, std::nullopt); });
}

KvBatch KeyValue::batch() {
    auto state = std::make_unique<detail::KvBatchState>();
    state->context = context_;
    state->ns = ns_;
    state->limits = limits();
    return KvBatch(std::move(state));
}

KvScan KeyValue::scan(KvBounds bounds) {
    if (bounds.end && *bounds.end <= bounds.begin)  // empty: no connection needed
        return KvScan(std::make_unique<detail::KvScanState>());
    auto backend = context_->open();
    return KvScan(detail::openScan(*backend, context_->metrics(), ns_, bounds, nullptr));
}

KvScan KeyValue::scanPrefix(std::string_view prefix, KvScanOptions options) {
    return scan(detail::prefixBounds(prefix, options));
}

KvSnapshot KeyValue::snapshot() {
    auto backend = context_->open();
    backend->beginSnapshot();
    auto state = std::make_unique<detail::KvSnapshotState>();
    state->session = std::make_shared<detail::KvSnapshotSession>(context_, std::move(backend));
    state->ns = ns_;
    return KvSnapshot(std::move(state));
}

KvLimits KeyValue::limits() const {
    return context_->limits();
}

}  // namespace plugdb
