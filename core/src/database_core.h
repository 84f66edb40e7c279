// What a Database and its copies share: the driver, its data source and the pool.
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>

#include "metrics.h"
#include "plugdb/database_info.h"
#include "plugdb/driver.h"
#include "plugdb/engine_traits.h"
#include "plugdb/error.h"
#include "plugdb/named_queries.h"
#include "plugdb/pool_stats.h"
#include "plugdb/registry.h"
#include "plugdb/secrets.h"
#include "plugdb/transaction_retry.h"
#include "pool.h"
#include "retry.h"
#include "watchdog.h"

namespace plugdb::detail {

// Holds the driver, where it connects, and the pool of its connections.
class DatabaseCore : public std::enable_shared_from_this<DatabaseCore> {
public:
    DatabaseCore(LoadedDriver driver, DataSource source, DatabaseInfo info, PoolSettings pool)
        : driver_(std::move(driver)),
          source_(std::move(source)),
          info_(std::move(info)),
          pool_(pool, [this] {
              return guarded([&] { return refined(driver_.driver->connect(source_)); });
          }) {
        const EngineTraits declared = declaredTraits(*driver_.driver, driver_.info.capabilities);
        dialect_ = declared.dialect;
        info_.sqlDialect = declared.sql;
        if (const auto* retry = dynamic_cast<const TransactionRetryProvider*>(driver_.driver.get()))
            restartSavepoint_ = retry->transactionRetry().restartSavepoint;
    }

    PooledConnection acquire(std::optional<std::chrono::milliseconds> maxWait = std::nullopt) {
        return pool_.acquire(maxWait);
    }
    void release(PooledConnection pooled, bool reusable) {
        pool_.release(std::move(pooled), reusable);
    }
    PoolStats poolStats() const {
        PoolStats stats = pool_.stats();
        stats.transactionRetries = metrics_.transactionRetries();
        return stats;
    }

    Watchdog& watchdog() { return watchdog_; }
    Metrics& metrics() { return metrics_; }
    const Metrics& metrics() const { return metrics_; }

    const RetryPolicy& transactionRetry() const { return transactionRetry_; }
    void setTransactionRetry(RetryPolicy policy) { transactionRetry_ = policy; }
    // The savepoint transact() restarts in place at; empty: none (transaction_retry.h).
    const std::string& restartSavepoint() const { return restartSavepoint_; }

    const Dialect& dialect() const { return dialect_; }
    const DatabaseInfo& info() const { return info_; }
    // For the extension interfaces a Driver may also implement (dynamic_cast).
    const Driver& driver() const { return *driver_.driver; }

    // The named queries of queries.path, loaded by Database::open before
    // another thread sees this core.
    const NamedQueries& namedQueries() const { return namedQueries_; }
    void setNamedQueries(NamedQueries queries) { namedQueries_ = std::move(queries); }

    // The first connection refines the plugin's traits (engine_traits.h); they
    // hold from then on. It connects in open(), before another thread sees this core.
    std::unique_ptr<Connection> refined(std::unique_ptr<Connection> connection) {
        std::call_once(refined_, [&] {
            EngineTraits traits = declaredTraits(*driver_.driver, driver_.info.capabilities);
            refineTraits(*connection, traits);
            info_.capabilities = traits.capabilities;
            info_.sqlDialect = std::move(traits.sql);
            dialect_ = traits.dialect;
        });
        return connection;
    }

    // Runs a driver call so that only plugdb::Error leaves it, with secrets masked.
    template <class Fn>
    static auto guarded(Fn&& fn) -> decltype(fn()) {
        try {
            return fn();
        } catch (const Error& e) {
            const std::string masked = secrets::mask(e.what());
            if (masked == e.what()) throw;
            throw Error(e.category(), masked, e.details());
        } catch (const std::exception& e) {
            throw Error(ErrorCategory::Other, secrets::mask(e.what()));
        }
    }

private:
    LoadedDriver driver_;
    DataSource source_;
    DatabaseInfo info_;
    Dialect dialect_;
    std::once_flag refined_;
    RetryPolicy transactionRetry_;
    std::string restartSavepoint_;
    Metrics metrics_;
    Watchdog watchdog_;
    NamedQueries namedQueries_;
    ConnectionPool pool_;  // last: its connections close before the driver they came from
};

}  // namespace plugdb::detail
