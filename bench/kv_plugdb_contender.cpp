// plugdb's key-value API through Database, the way an application uses it.
#include "kv_contenders.h"
#include "open_database.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/key_value.h"

namespace plugdb::bench {
namespace {

constexpr const char* kNamespace = "bench";
constexpr const char* kBatchNamespace = "bench_batch";

class PlugdbKv final : public KvContender {
public:
    explicit PlugdbKv(const std::string& url)
        : db_(openDatabase(url)), kv_(db_.kv(kNamespace)), batchKv_(db_.kv(kBatchNamespace)) {
        clear();
        // A namespace comes into being on its first write (on RocksDB a column
        // family, which the raw client creates when it opens): not in a round.
        batchKv_.put("created", "");
        batchKv_.erase("created");
    }
    ~PlugdbKv() override { clear(); }

    void batchPut(std::span<const KvPair> pairs, bool load) override {
        KvBatch batch = (load ? kv_ : batchKv_).batch();
        for (const auto& [key, value] : pairs) batch.put(key, value);
        batch.commit();
    }

    void put(std::string_view key, std::string_view value) override { kv_.put(key, value); }

    bool get(std::string_view key, std::uint64_t& checksum) override {
        const std::optional<std::string> value = kv_.get(key);
        if (!value) return false;
        checksum += value->size() + static_cast<unsigned char>(value->empty() ? 0 : (*value)[0]);
        return true;
    }

    std::uint64_t scanPrefix(std::string_view prefix, std::uint64_t& checksum) override {
        std::uint64_t count = 0;
        for (KvScan scan = kv_.scanPrefix(prefix); scan.next(); ++count)
            checksum += scan.key().size() + scan.value().size();
        return count;
    }

private:
    // The SQL engines keep core's table between runs (the test servers'
    // database lives on): start and end without the benchmark's pairs.
    void clear() {
        if (db_.has(kCapKeyValue)) return;  // a fresh directory per run
        try {
            for (const char* ns : {kNamespace, kBatchNamespace})
                db_.exec("DELETE FROM plugdb_kv WHERE ns = ?", {std::string(ns)});
        } catch (const Error& e) {
            if (e.category() != ErrorCategory::Syntax) throw;  // no table yet
        }
    }

    Database db_;
    KeyValue kv_;
    KeyValue batchKv_;
};

}  // namespace

std::unique_ptr<KvContender> plugdbKv(const std::string& url) {
    return std::make_unique<PlugdbKv>(url);
}

}  // namespace plugdb::bench
