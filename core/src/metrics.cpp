#include "metrics.h"

#include <cctype>
#include <string>

namespace plugdb::detail {
namespace {

constexpr std::array<const char*, static_cast<std::size_t>(Operation::Count_)> kNames{
    "select",   "insert", "update", "delete", "begin",   "commit",
    "rollback", "other",  "kv_get", "kv_put", "kv_scan", "kv_batch"};

// The first word of the SQL, skipping whitespace, comments and parentheses.
std::string firstKeyword(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            const auto end = sql.find('\n', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (sql.substr(i, 2) == "/*") {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else {
            break;
        }
    }
    std::string word;
    while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i])))
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(sql[i++])));
    return word;
}

}  // namespace

Operation operationOf(std::string_view sql) {
    const std::string word = firstKeyword(sql);
    if (word == "select" || word == "with" || word == "values" || word == "show")
        return Operation::Select;
    if (word == "insert" || word == "replace" || word == "copy") return Operation::Insert;
    if (word == "update") return Operation::Update;
    if (word == "delete") return Operation::Delete;
    if (word == "begin" || word == "start") return Operation::Begin;
    if (word == "commit") return Operation::Commit;
    if (word == "rollback") return Operation::Rollback;
    return Operation::Other;
}

const char* toString(Operation operation) {
    return kNames[static_cast<std::size_t>(operation)];
}

void Metrics::recordLatency(Operation operation, std::chrono::nanoseconds elapsed) {
    Histogram& h = latency_[static_cast<std::size_t>(operation)];
    const double seconds = std::chrono::duration<double>(elapsed).count();
    std::size_t bucket = 0;
    while (bucket < kBuckets && seconds > DatabaseMetrics::kLatencyBuckets[bucket]) ++bucket;
    h.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
    h.count.fetch_add(1, std::memory_order_relaxed);
    h.sumNanos.fetch_add(static_cast<std::uint64_t>(elapsed.count()), std::memory_order_relaxed);
}

void Metrics::recordError(ErrorCategory category) {
    // A plugin built against newer headers may name a category this host lacks.
    std::size_t index = static_cast<std::size_t>(category);
    if (index >= errors_.size()) index = static_cast<std::size_t>(ErrorCategory::Other);
    errors_[index].fetch_add(1, std::memory_order_relaxed);
}

DatabaseMetrics Metrics::snapshot() const {
    DatabaseMetrics m;
    for (std::size_t op = 0; op < latency_.size(); ++op) {
        const Histogram& h = latency_[op];
        DatabaseMetrics::Latency latency;
        latency.operation = kNames[op];
        std::uint64_t cumulative = 0;
        for (std::size_t b = 0; b < kBuckets; ++b) {
            cumulative += h.buckets[b].load(std::memory_order_relaxed);
            latency.cumulativeCounts[b] = cumulative;
        }
        latency.count = h.count.load(std::memory_order_relaxed);
        latency.sumSeconds = static_cast<double>(h.sumNanos.load(std::memory_order_relaxed)) / 1e9;
        m.latencies.push_back(latency);
    }
    for (std::size_t c = 0; c < kErrorCategoryCount; ++c)
        m.errors.push_back(
            {static_cast<ErrorCategory>(c), errors_[c].load(std::memory_order_relaxed)});
    m.connectRetries = connectRetries_.load(std::memory_order_relaxed);
    return m;
}

}  // namespace plugdb::detail
