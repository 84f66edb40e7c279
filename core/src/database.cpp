#include "plugdb/database.h"

#include <Poco/Logger.h>

#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "database_core.h"
#include "datasource.h"
#include "lease.h"
#include "named_query_run.h"
#include "plugdb/config.h"
#include "plugdb/engine_traits.h"
#include "plugdb/registry.h"
#include "plugdb/settings.h"

namespace plugdb {

Database::Database(std::shared_ptr<detail::DatabaseCore> core,
                   std::chrono::milliseconds queryTimeout)
    : core_(std::move(core)), queryTimeout_(queryTimeout) {}

Database Database::withQueryTimeout(std::chrono::milliseconds timeout) const {
    if (timeout.count() < 0)
        throw Error(ErrorCategory::InvalidArgument, "a query timeout cannot be negative");
    return Database(core_, timeout);
}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

namespace {

// Opens the first connection, retrying while the server cannot be reached
// (it may still be starting), as connect.* says.
void connectWithRetry(detail::DatabaseCore& core, const Config& config) {
    const auto policy =
        detail::RetryPolicy::fromConfig(config, "connect.attempts", "connect.backoff");
    // An embedded engine has no server to wait for.
    const int attempts = (core.info().capabilities & kCapEmbedded) ? 1 : policy.attempts;
    for (int attempt = 1;; ++attempt) {
        try {
            core.release(core.acquire(), true);
            return;
        } catch (const Error& e) {
            const bool unreachable =
                e.category() == ErrorCategory::Connection || e.category() == ErrorCategory::Timeout;
            if (!unreachable || attempt >= attempts) {
                if (attempt == 1) throw;
                throw Error(e.category(),
                            std::string(e.what()) + " (gave up after " + std::to_string(attempt) +
                                " attempts)",
                            e.details());
            }
            const auto delay = policy.delayAfter(attempt);
            Poco::Logger::get("plugdb.database")
                .warning("connecting to %s failed (attempt %d of %d): %s; retrying in %s ms",
                         core.info().target, attempt, attempts, std::string(e.what()),
                         std::to_string(delay.count()));
            core.metrics().recordConnectRetry();
            std::this_thread::sleep_for(delay);
        }
    }
}

}  // namespace

Database Database::open(const Config& config) {
    const std::vector<std::string> searchPath = config.pluginSearchPath();
    auto& registry = DriverRegistry::instance();
    ResolvedSource resolved = resolveDataSource(config, registryLookup(searchPath));
    LoadedDriver driver = registry.load(resolved.driverName, searchPath);
    DataSource source = finishDataSource(config, resolved, driver);

    DatabaseInfo info{driver.info.name, driver.info.version, describeTarget(source, driver.info),
                      driver.info.capabilities, std::nullopt};
    auto core = std::make_shared<detail::DatabaseCore>(std::move(driver), std::move(source),
                                                       std::move(info),
                                                       detail::PoolSettings::fromConfig(config));
    core->setTransactionRetry(
        detail::RetryPolicy::fromConfig(config, "transaction.max_attempts", "transaction.backoff"));
    // A key-value engine runs no SQL: its database has no named queries.
    if ((core->info().capabilities & kCapKeyValue) == 0)
        core->setNamedQueries(NamedQueries::fromConfig(config));
    // Open one connection now so a bad configuration fails here, not on first use.
    connectWithRetry(*core, config);
    Database db(std::move(core), config.getDuration("db.query_timeout", {}));
    if (!db.namedQueries().empty() && settings::boolean(config, "queries.prepare_on_open"))
        db.checkNamedQueries();
    return db;
}

Rows Database::named(std::string_view name, const NamedParams& params) {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    return detail::queryNamed(*lease, name, params);
}

Result Database::namedExec(std::string_view name, const NamedParams& params) {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    return detail::execNamed(*lease, name, params);
}

const NamedQueries& Database::namedQueries() const {
    return core_->namedQueries();
}

void Database::checkNamedQueries() {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    detail::prepareNamedQueries(*lease);
}

Result Database::exec(std::string_view sqlText, Params params) {
    return std::make_shared<detail::Lease>(core_, queryTimeout_)->exec(sqlText, params);
}

Rows Database::query(std::string_view sqlText, Params params) {
    return std::make_shared<detail::Lease>(core_, queryTimeout_)->query(sqlText, params);
}

PreparedStatement Database::prepare(std::string_view sqlText) {
    return std::make_shared<detail::Lease>(core_, queryTimeout_)->prepare(sqlText);
}

Transaction Database::begin() {
    if (!has(kCapTransactions))
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + info().driver + "' does not support transactions");
    return Transaction(std::make_shared<detail::Lease>(core_, queryTimeout_));
}

Session Database::session() {
    return Session(std::make_shared<detail::Lease>(core_, queryTimeout_));
}

void Database::ping(std::chrono::milliseconds maxWait) {
    auto lease = std::make_shared<detail::Lease>(core_, maxWait, maxWait);
    lease->call([&] { lease->connection().ping(); });
}

void Database::ping() {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    lease->call([&] { lease->connection().ping(); });
}

std::string Database::serverVersion() {
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    return lease->call([&] { return lease->connection().serverVersion(); });
}

Transaction Database::beginForTransact() {
    Transaction tx = begin();
    if (const std::string& savepoint = core_->restartSavepoint(); !savepoint.empty())
        tx.savepoint(savepoint);
    return tx;
}

void Database::commitForTransact(Transaction& tx) {
    if (!tx.active()) return;
    if (const std::string& savepoint = core_->restartSavepoint(); !savepoint.empty()) {
        try {
            tx.release(savepoint);  // the engine's real commit
        } catch (const Error& e) {
            if (e.category() != ErrorCategory::Connection) throw;
            throw Error(ErrorCategory::CommitUnknown,
                        "the connection failed during RELEASE SAVEPOINT " + savepoint +
                            " (this engine's commit), so the transaction may or may not have "
                            "committed: " +
                            std::string(e.what()),
                        e.details());
        }
    }
    tx.commit();
}

bool Database::retryTransaction(const Error& error, int attempt,
                                detail::TransactState& state) const {
    const auto& policy = core_->transactionRetry();
    if (!error.retryable() || attempt >= policy.attempts) return false;
    // In place only once in a row: an engine that keeps the transaction's
    // snapshot across the savepoint (PostgreSQL does) fails the same way again.
    const std::string& savepoint = core_->restartSavepoint();
    bool inPlace = false;
    if (!savepoint.empty() && state.tx && state.tx->active() && !state.restartedInPlace) {
        try {
            state.tx->rollbackTo(savepoint);
            inPlace = true;
        } catch (const Error&) {  // a new transaction instead
        }
    }
    if (!inPlace) state.tx.reset();  // rolls back before the wait, releasing its locks
    state.restartedInPlace = inPlace;
    const auto delay = policy.delayAfter(attempt);
    core_->metrics().recordTransactionRetry();
    Poco::Logger::get("plugdb.database")
        .debug("transaction attempt %d of %d failed (%s): %s; retrying %s in %s ms", attempt,
               policy.attempts, std::string(toString(error.category())), std::string(error.what()),
               std::string(inPlace ? "from the restart savepoint" : "in a new transaction"),
               std::to_string(delay.count()));
    std::this_thread::sleep_for(delay);
    return true;
}

Transaction Database::beginStaleRead(StaleRead read) {
    if (read.staleness.count() < 0)
        throw Error(ErrorCategory::InvalidArgument, "a stale read's staleness cannot be negative");
    if (!has(kCapTransactions))
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + info().driver + "' does not support transactions");
    auto lease = std::make_shared<detail::Lease>(core_, queryTimeout_);
    const auto* source = dynamic_cast<const StaleReadSource*>(&lease->connection());
    if (source == nullptr)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + info().driver +
                        "' cannot read the database as of a time in the past (it implements no "
                        "stale reads, stale_read.h); use begin() for a current read");
    return Transaction(std::move(lease), source->staleReadBegin(read));
}

DatabaseMetrics Database::metrics() const {
    return core_->metrics().snapshot();
}

PoolStats Database::poolStats() const {
    return core_->poolStats();
}

const DatabaseInfo& Database::info() const {
    return core_->info();
}

const Dialect& Database::dialect() const {
    return core_->dialect();
}

}  // namespace plugdb
