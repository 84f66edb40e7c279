// The backend of a SQL engine: core's table plugdb_kv(ns, k, v), spelled as
// the driver's KeyValueTable says. Keys and values are bound and read as
// Blob values, so the engine compares them as bytes.
#include <array>
#include <map>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "key_value_backend.h"
#include "plugdb/read_snapshot.h"
#include "plugdb/rows.h"
#include "plugdb/sql.h"

namespace plugdb::detail {
namespace {

// Ceilings of core's own where the engine reports none: the API is for
// records, not for files.
constexpr std::uint64_t kTableMaxKeyBytes = 4096;
constexpr std::uint64_t kTableMaxValueBytes = 16u << 20;

std::uint64_t capped(std::uint64_t engine, std::uint64_t ceiling) {
    return engine == 0 ? ceiling : std::min(engine, ceiling);
}

Value blob(std::string_view bytes) {
    return Value(Blob(bytes.begin(), bytes.end()));
}

// A key or value as read back: a Blob, or Text on an engine reporting a
// binary column as text.
std::string bytesOf(Value value) {
    if (value.type() == Type::Blob) {
        const Blob& b = value.asBlob();
        return std::string(b.begin(), b.end());
    }
    return std::move(value).asText();
}

// Streams a scan's rows (k, v) from the engine.
class TableCursor final : public KvCursor {
public:
    explicit TableCursor(Rows rows) : rows_(std::move(rows)) {}
    bool next() override {
        if (!rows_.next()) return false;
        key_ = bytesOf(rows_.value(0));
        value_ = bytesOf(rows_.value(1));
        return true;
    }
    std::string_view key() const override { return key_; }
    std::string_view value() const override { return value_; }

private:
    Rows rows_;  // holds the connection until exhausted
    std::string key_;
    std::string value_;
};

class TableBackend final : public KvBackend {
public:
    TableBackend(std::shared_ptr<Lease> lease, const KvTableSql& sql, std::once_flag& created)
        : KvBackend(std::move(lease)), sql_(sql) {
        // Once per database; a failure leaves the flag unset for the next call.
        std::call_once(created, [&] { createTable(); });
    }

    std::optional<std::string> get(std::string_view ns, std::string_view key) override {
        auto statement = prepare(sql_.get);
        const std::array<Value, 2> params{Value(ns), blob(key)};
        return lease_->call([&]() -> std::optional<std::string> {
            statement->execute(params);
            std::optional<std::string> value;
            while (statement->next())
                if (!value) value = bytesOf(statement->get(0));
            return value;
        });
    }

    void apply(std::span<const KvWrite> writes) override {
        if (writes.size() == 1) {  // one statement is atomic by itself
            const KvWrite& write = writes.front();
            if (write.kind == KvWrite::Kind::Put)
                run(sql_.upsert, {Value(write.ns), blob(write.key), blob(write.value)});
            else
                run(sql_.erase, {Value(write.ns), blob(write.key)});
            return;
        }
        const RetryPolicy& policy = lease_->core().transactionRetry();
        for (int attempt = 1;; ++attempt) {
            try {
                applyOnce(writes);
                return;
            } catch (const Error& e) {
                if (!e.retryable() || attempt >= policy.attempts) throw;
            }
            std::this_thread::sleep_for(policy.delayAfter(attempt));
        }
    }

    bool compareAndSet(std::string_view ns, std::string_view key,
                       const std::optional<std::string>& expected,
                       const std::optional<std::string>& desired) override {
        if (!expected && !desired) return !get(ns, key);
        if (!expected) {
            // ON CONFLICT DO NOTHING inserts nothing when the key is there;
            // otherwise the primary key refuses the insert.
            if (!sql_.insertIfAbsent.empty())
                return run(sql_.insertIfAbsent, {Value(ns), blob(key), blob(*desired)}) > 0;
            try {
                run(sql_.insert, {Value(ns), blob(key), blob(*desired)});
                return true;
            } catch (const Error& e) {
                if (e.category() == ErrorCategory::UniqueViolation) return false;
                throw;
            }
        }
        if (!desired) return run(sql_.eraseIf, {Value(ns), blob(key), blob(*expected)}) > 0;
        return run(sql_.updateIf, {blob(*desired), Value(ns), blob(key), blob(*expected)}) > 0;
    }

    bool erase(std::string_view ns, std::string_view key) override {
        return run(sql_.erase, {Value(ns), blob(key)}) > 0;
    }

    std::unique_ptr<KvCursor> scan(std::string_view ns, const KvBounds& bounds) override {
        std::string text = "SELECT " + sql_.k + ", " + sql_.v + " FROM " + sql_.table + " WHERE " +
                           sql_.ns + " = ?";
        std::vector<Value> params{Value(ns)};
        if (!bounds.begin.empty()) {
            text += " AND " + sql_.k + " >= ?";
            params.push_back(blob(bounds.begin));
        }
        if (bounds.end) {
            text += " AND " + sql_.k + " < ?";
            params.push_back(blob(*bounds.end));
        }
        text += " ORDER BY " + sql_.k + (bounds.reverse ? " DESC" : "");
        if (bounds.limit != 0) {
            text += " LIMIT ?";
            params.emplace_back(
                static_cast<std::int64_t>(std::min<std::uint64_t>(bounds.limit, INT64_MAX)));
        }
        auto statement = prepare(text);
        lease_->call([&] { statement->execute(params); });
        return std::make_unique<TableCursor>(lease_->makeRows(std::move(statement)));
    }

    void beginSnapshot() override {
        lease_->yieldCursor();
        lease_->call([&] {
            if (sql_.beginSnapshot)
                lease_->connection().executeScript(*sql_.beginSnapshot);
            else
                lease_->connection().begin();
        });
        lease_->setInTransaction(true);
        // Engines that take the snapshot at the first read (SQLite's WAL,
        // PostgreSQL) take it now, not at the snapshot's first get or scan.
        get("", std::string(1, '\0'));
    }

    void endSnapshot() noexcept override {
        try {
            lease_->yieldCursor();
            lease_->call([&] { lease_->connection().rollback(); });
            lease_->setInTransaction(false);
        } catch (...) {  // the connection stays marked in a transaction: it is retired
        }
    }

private:
    std::shared_ptr<Statement> prepare(const std::string& text) {
        return lease_->prepareStatement(text).first;
    }

    // Runs a statement without rows; returns the rows it changed.
    std::int64_t run(const std::string& text, std::vector<Value> params) {
        auto statement = prepare(text);
        return lease_->call([&] {
            statement->execute(params);
            return Lease::runToEnd(*statement).rowsAffected;
        });
    }

    // A table already there is only read: CREATE, even with IF NOT EXISTS,
    // fails on a read-only database or replica on some engines. Concurrent
    // CREATE TABLE IF NOT EXISTS may still collide in an engine's catalog
    // (PostgreSQL reports a duplicate pg_type row): the next attempt then
    // finds the table.
    void createTable() {
        try {
            auto probe = prepare(sql_.probe);
            lease_->call([&] {
                probe->execute({});
                Lease::runToEnd(*probe);
            });
            return;
        } catch (const Error& e) {
            if (e.category() == ErrorCategory::Connection) throw;
        }
        for (int attempt = 1;; ++attempt) {
            try {
                lease_->call([&] { lease_->connection().executeScript(sql_.create); });
                return;
            } catch (const Error& e) {
                if (e.category() == ErrorCategory::Permission)
                    throw Error(e.category(),
                                "key-value: the database has no key-value table (" + sql_.table +
                                    ") yet and cannot create it, so there is nothing to read "
                                    "and nothing can be written: " +
                                    std::string(e.what()),
                                e.details());
                if (attempt >= 3 || (e.category() != ErrorCategory::UniqueViolation &&
                                     e.category() != ErrorCategory::Serialization))
                    throw;
            }
        }
    }

    void applyOnce(std::span<const KvWrite> writes) {
        Connection& connection = lease_->connection();
        lease_->call([&] { connection.begin(); });
        lease_->setInTransaction(true);
        try {
            for (std::size_t begin = 0; begin < writes.size();) {
                std::size_t end = begin + 1;
                while (end < writes.size() && writes[end].kind == writes[begin].kind &&
                       writes[end].ns == writes[begin].ns)
                    ++end;
                writeRun(lastPerKey(writes.subspan(begin, end - begin)));
                begin = end;
            }
            statements_.clear();
        } catch (const Error& e) {
            statements_.clear();
            rollbackAfter(e);
            throw;
        }
        try {
            lease_->call([&] { connection.commit(); });
        } catch (const Error& e) {
            if (e.category() == ErrorCategory::Connection)
                throw Error(ErrorCategory::CommitUnknown,
                            "the connection failed during the key-value batch's COMMIT, so it "
                            "may or may not have been applied: " +
                                std::string(e.what()),
                            e.details());
            rollbackAfter(e);
            throw;
        }
        lease_->setInTransaction(false);
    }

    // A run of writes of one kind to one namespace, each key once, with the
    // last value given for it (an upsert may not touch a row twice on
    // PostgreSQL); the order of the keys does not matter within a run.
    static std::vector<const KvWrite*> lastPerKey(std::span<const KvWrite> run) {
        std::vector<const KvWrite*> out;
        std::unordered_map<std::string_view, std::size_t> index;
        for (const KvWrite& write : run) {
            const auto [at, added] = index.try_emplace(write.key, out.size());
            if (added)
                out.push_back(&write);
            else
                out[at->second] = &write;
        }
        return out;
    }

    // Multi-row statements, so a batch costs a few round trips rather than
    // one a write: at most kRowsPerStatement keys, and no more than
    // kBytesPerStatement of keys and values unless one pair alone is larger.
    void writeRun(const std::vector<const KvWrite*>& run) {
        const bool put = run.front()->kind == KvWrite::Kind::Put;
        for (std::size_t begin = 0; begin < run.size();) {
            std::size_t end = begin;
            std::size_t bytes = 0;
            while (end < run.size() && end - begin < kRowsPerStatement &&
                   (end == begin ||
                    bytes + run[end]->key.size() + run[end]->value.size() <= kBytesPerStatement)) {
                bytes += run[end]->key.size() + run[end]->value.size();
                ++end;
            }
            std::vector<Value> params;
            if (!put) params.emplace_back(run.front()->ns);
            for (std::size_t i = begin; i < end; ++i) {
                if (put) params.emplace_back(run[i]->ns);
                params.push_back(blob(run[i]->key));
                if (put) params.push_back(blob(run[i]->value));
            }
            auto& statement = statements_[{put, end - begin}];
            if (!statement) statement = prepare(put ? upsertOf(end - begin) : eraseOf(end - begin));
            lease_->call([&] {
                statement->execute(params);
                Lease::runToEnd(*statement);
            });
            begin = end;
        }
    }

    std::string upsertOf(std::size_t rows) const {
        std::string text = sql_.insertHead;
        for (std::size_t i = 0; i < rows; ++i) text += i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)";
        return text + sql_.upsertTail;
    }

    std::string eraseOf(std::size_t keys) const {
        std::string text = sql_.eraseIn;
        for (std::size_t i = 0; i < keys; ++i) text += i == 0 ? "?" : ", ?";
        return text + ")";
    }

    // Ends the batch's transaction after `cause`; a connection that cannot
    // roll back stays marked in a transaction, so the lease retires it.
    void rollbackAfter(const Error& cause) noexcept {
        if (cause.category() == ErrorCategory::Connection) return;
        try {
            lease_->call([&] { lease_->connection().rollback(); });
            lease_->setInTransaction(false);
        } catch (...) {
        }
    }

    static constexpr std::size_t kRowsPerStatement = 500;
    static constexpr std::size_t kBytesPerStatement = 1u << 20;

    const KvTableSql& sql_;
    // A batch's statements by kind (put) and rows, prepared once per batch.
    std::map<std::pair<bool, std::size_t>, std::shared_ptr<Statement>> statements_;
};

}  // namespace

KvTableSql kvTableSql(const KeyValueTable& table, const DatabaseCore& core) {
    const Dialect& dialect = core.dialect();
    KvTableSql s;
    s.table = sql::quoteIdentifier("plugdb_kv", dialect);
    s.ns = sql::quoteIdentifier("ns", dialect);
    s.k = sql::quoteIdentifier("k", dialect);
    s.v = sql::quoteIdentifier("v", dialect);
    const std::string key = " WHERE " + s.ns + " = ? AND " + s.k + " = ?";
    s.create = "CREATE TABLE IF NOT EXISTS " + s.table + " (" + s.ns + " " + table.namespaceType +
               " NOT NULL, " + s.k + " " + table.keyType + " NOT NULL, " + s.v + " " +
               table.valueType + " NOT NULL, PRIMARY KEY (" + s.ns + ", " + s.k + "))" +
               table.createTableSuffix;
    s.get = "SELECT " + s.v + " FROM " + s.table + key;
    s.probe = "SELECT " + s.k + " FROM " + s.table + " WHERE 1 = 0";
    s.insertHead = "INSERT INTO " + s.table + " (" + s.ns + ", " + s.k + ", " + s.v + ") VALUES ";
    s.insert = s.insertHead + "(?, ?, ?)";
    s.upsertTail = table.upsert == KeyValueTable::Upsert::OnDuplicateKey
                       ? " ON DUPLICATE KEY UPDATE " + s.v + " = VALUES(" + s.v + ")"
                       : " ON CONFLICT (" + s.ns + ", " + s.k + ") DO UPDATE SET " + s.v +
                             " = excluded." + s.v;
    s.upsert = s.insert + s.upsertTail;
    if (table.upsert == KeyValueTable::Upsert::OnConflict)
        s.insertIfAbsent = s.insert + " ON CONFLICT (" + s.ns + ", " + s.k + ") DO NOTHING";
    s.updateIf = "UPDATE " + s.table + " SET " + s.v + " = ?" + key + " AND " + s.v + " = ?";
    s.erase = "DELETE FROM " + s.table + key;
    s.eraseIf = s.erase + " AND " + s.v + " = ?";
    s.eraseIn = "DELETE FROM " + s.table + " WHERE " + s.ns + " = ? AND " + s.k + " IN (";
    s.limits = {capped(table.maxKeyBytes, kTableMaxKeyBytes),
                capped(table.maxValueBytes, kTableMaxValueBytes)};
    if (const auto* provider = dynamic_cast<const ReadSnapshotProvider*>(&core.driver()))
        s.beginSnapshot = provider->beginReadSnapshot();
    return s;
}

std::unique_ptr<KvBackend> tableKvBackend(std::shared_ptr<Lease> lease, const KvTableSql& sql,
                                          std::once_flag& created) {
    return std::make_unique<TableBackend>(std::move(lease), sql, created);
}

}  // namespace plugdb::detail
