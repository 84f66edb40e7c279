#include "plugdb/database.h"

#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "datasource.h"
#include "plugdb/config.h"
#include "plugdb/registry.h"
#include "plugdb/secrets.h"
#include "plugdb/sql.h"

namespace plugdb {
namespace detail {

// Holds the driver and the open connections. A simple holder: idle
// connections are reused, new ones opened on demand.
class DatabaseCore : public std::enable_shared_from_this<DatabaseCore> {
public:
    DatabaseCore(LoadedDriver driver, DataSource source, DatabaseInfo info)
        : driver_(std::move(driver)), source_(std::move(source)), info_(std::move(info)) {}

    std::unique_ptr<Connection> acquire() {
        {
            std::lock_guard lock(mutex_);
            if (!idle_.empty()) {
                auto conn = std::move(idle_.back());
                idle_.pop_back();
                return conn;
            }
        }
        return guarded([&] { return driver_.driver->connect(source_); });
    }

    void release(std::unique_ptr<Connection> conn) {
        std::lock_guard lock(mutex_);
        idle_.push_back(std::move(conn));
    }

    const Dialect& dialect() const { return driver_.driver->dialect(); }
    const DatabaseInfo& info() const { return info_; }

    // Runs a driver call so that only plugdb::Error leaves it, with secrets masked.
    template <class Fn>
    static auto guarded(Fn&& fn) -> decltype(fn()) {
        try {
            return fn();
        } catch (const Error& e) {
            const std::string masked = secrets::mask(e.what());
            if (masked == e.what()) throw;
            throw Error(e.category(), masked, {e.engine(), e.nativeCode(), e.sqlState()});
        } catch (const std::exception& e) {
            throw Error(ErrorCategory::Other, secrets::mask(e.what()));
        }
    }

private:
    LoadedDriver driver_;
    DataSource source_;
    DatabaseInfo info_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Connection>> idle_;
};

// One borrowed connection, shared by the objects using it (rows, statements,
// a transaction); it goes back when the last of them is gone, unless it broke.
class Lease : public std::enable_shared_from_this<Lease> {
public:
    explicit Lease(std::shared_ptr<DatabaseCore> core)
        : core_(std::move(core)), conn_(core_->acquire()) {}

    ~Lease() {
        if (broken_ || inTransaction_) return;  // drop it: its state is unknown
        core_->release(std::move(conn_));
    }

    Connection& connection() { return *conn_; }
    const DatabaseCore& core() const { return *core_; }
    void setInTransaction(bool value) { inTransaction_ = value; }

    // Runs fn on the connection; a connection-category failure retires the connection.
    template <class Fn>
    auto call(Fn&& fn) -> decltype(fn()) {
        try {
            return DatabaseCore::guarded(std::forward<Fn>(fn));
        } catch (const Error& e) {
            if (e.category() == ErrorCategory::Connection) broken_ = true;
            throw;
        }
    }

    std::pair<std::shared_ptr<Statement>, std::size_t> prepareStatement(std::string_view sqlText) {
        auto rewritten = sql::rewritePlaceholders(sqlText, core_->dialect().placeholders);
        std::shared_ptr<Statement> statement = call([&] { return conn_->prepare(rewritten.text); });
        return {std::move(statement), rewritten.parameterCount};
    }

    static void checkCount(std::size_t expected, Params params) {
        if (params.view().size() != expected)
            throw Error(ErrorCategory::InvalidArgument,
                        "statement has " + std::to_string(expected) + " placeholder(s) but " +
                            std::to_string(params.view().size()) + " parameter(s) were given");
    }

    Result exec(std::string_view sqlText, Params params) {
        auto [statement, count] = prepareStatement(sqlText);
        checkCount(count, params);
        return call([&] {
            statement->execute(params.view());
            return Result{statement->rowsAffected(), statement->lastInsertId()};
        });
    }

    Rows query(std::string_view sqlText, Params params) {
        auto [statement, count] = prepareStatement(sqlText);
        checkCount(count, params);
        call([&] { statement->execute(params.view()); });
        return Rows(shared_from_this(), std::move(statement));
    }

    PreparedStatement prepare(std::string_view sqlText) {
        auto [statement, count] = prepareStatement(sqlText);
        return PreparedStatement(shared_from_this(), std::move(statement), count);
    }

private:
    std::shared_ptr<DatabaseCore> core_;
    std::unique_ptr<Connection> conn_;
    bool broken_ = false;
    bool inTransaction_ = false;
};

}  // namespace detail

// ---- Rows -------------------------------------------------------------------

Rows::Rows(std::shared_ptr<detail::Lease> lease, std::shared_ptr<Statement> statement)
    : lease_(std::move(lease)), statement_(std::move(statement)) {}
Rows::Rows(Rows&&) noexcept = default;
Rows& Rows::operator=(Rows&&) noexcept = default;
Rows::~Rows() = default;

const std::vector<Column>& Rows::columns() const {
    static const std::vector<Column> kNone;
    return statement_ ? statement_->columns() : kNone;
}

std::size_t Rows::columnIndex(std::string_view name) const {
    const auto& cols = columns();
    for (std::size_t i = 0; i < cols.size(); ++i)
        if (cols[i].name == name) return i;
    throw Error(ErrorCategory::InvalidArgument, "no column named '" + std::string(name) + "'");
}

bool Rows::next() {
    if (!statement_) return false;
    onRow_ = lease_->call([&] { return statement_->next(); });
    return onRow_;
}

Result Rows::result() const {
    if (!statement_) return {};
    return lease_->call([&] {
        return Result{statement_->rowsAffected(), statement_->lastInsertId()};
    });
}

Value Rows::value(std::size_t column) const {
    if (!onRow_) throw Error(ErrorCategory::InvalidArgument, "no current row: call next() first");
    if (column >= columns().size())
        throw Error(ErrorCategory::InvalidArgument, "column " + std::to_string(column) +
                                                        " out of range (the result has " +
                                                        std::to_string(columns().size()) + ")");
    return lease_->call([&] { return statement_->get(column); });
}

std::string Rows::getText(std::size_t column) const {
    return value(column).asText();
}
Blob Rows::getBlob(std::size_t column) const {
    return value(column).asBlob();
}

std::optional<std::int64_t> Rows::getOptionalInt(std::size_t column) const {
    Value v = value(column);
    if (v.isNull()) return std::nullopt;
    return v.asInt();
}

std::optional<std::string> Rows::getOptionalText(std::size_t column) const {
    Value v = value(column);
    if (v.isNull()) return std::nullopt;
    return v.asText();
}

// ---- PreparedStatement ------------------------------------------------------

PreparedStatement::PreparedStatement(std::shared_ptr<detail::Lease> lease,
                                     std::shared_ptr<Statement> statement,
                                     std::size_t parameterCount)
    : lease_(std::move(lease)), statement_(std::move(statement)), parameterCount_(parameterCount) {}
PreparedStatement::PreparedStatement(PreparedStatement&&) noexcept = default;
PreparedStatement& PreparedStatement::operator=(PreparedStatement&&) noexcept = default;
PreparedStatement::~PreparedStatement() = default;

void PreparedStatement::run(Params params) {
    if (!statement_) throw Error(ErrorCategory::InvalidArgument, "statement was moved from");
    detail::Lease::checkCount(parameterCount_, params);
    lease_->call([&] { statement_->execute(params.view()); });
}

Result PreparedStatement::exec(Params params) {
    run(params);
    return lease_->call([&] {
        return Result{statement_->rowsAffected(), statement_->lastInsertId()};
    });
}

Rows PreparedStatement::query(Params params) {
    run(params);
    return Rows(lease_, statement_);
}

// ---- Transaction ------------------------------------------------------------

Transaction::Transaction(std::shared_ptr<detail::Lease> lease) : lease_(std::move(lease)) {
    lease_->call([&] { lease_->connection().begin(); });
    lease_->setInTransaction(true);
}

Transaction::Transaction(Transaction&& other) noexcept
    : lease_(std::move(other.lease_)), active_(other.active_) {
    other.active_ = false;
}

Transaction::~Transaction() {
    if (!active_) return;
    try {
        rollback();
    } catch (...) {
        // The lease drops a connection whose rollback failed instead of reusing it.
    }
}

namespace {
void requireActive(bool active) {
    if (!active)
        throw Error(ErrorCategory::InvalidArgument,
                    "the transaction is already committed or rolled back");
}
}  // namespace

Result Transaction::exec(std::string_view sqlText, Params params) {
    requireActive(active_);
    return lease_->exec(sqlText, params);
}

Rows Transaction::query(std::string_view sqlText, Params params) {
    requireActive(active_);
    return lease_->query(sqlText, params);
}

PreparedStatement Transaction::prepare(std::string_view sqlText) {
    requireActive(active_);
    return lease_->prepare(sqlText);
}

void Transaction::commit() {
    requireActive(active_);
    active_ = false;
    lease_->call([&] { lease_->connection().commit(); });
    lease_->setInTransaction(false);
}

void Transaction::rollback() {
    requireActive(active_);
    active_ = false;
    lease_->call([&] { lease_->connection().rollback(); });
    lease_->setInTransaction(false);
}

namespace {
void runSavepointCommand(detail::Lease& lease, bool active, const char* command,
                         std::string_view name) {
    requireActive(active);
    if ((lease.core().info().capabilities & kCapSavepoints) == 0)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + lease.core().info().driver + "' does not support savepoints");
    const std::string sqlText =
        std::string(command) + sql::quoteIdentifier(name, lease.core().dialect());
    lease.call([&] { lease.connection().executeScript(sqlText); });
}
}  // namespace

void Transaction::savepoint(std::string_view name) {
    runSavepointCommand(*lease_, active_, "SAVEPOINT ", name);
}
void Transaction::rollbackTo(std::string_view name) {
    runSavepointCommand(*lease_, active_, "ROLLBACK TO SAVEPOINT ", name);
}
void Transaction::release(std::string_view name) {
    runSavepointCommand(*lease_, active_, "RELEASE SAVEPOINT ", name);
}

// ---- Session ----------------------------------------------------------------

Session::Session(std::shared_ptr<detail::Lease> lease) : lease_(std::move(lease)) {}
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

Result Session::exec(std::string_view sqlText, Params params) {
    return lease_->exec(sqlText, params);
}

Rows Session::query(std::string_view sqlText, Params params) {
    return lease_->query(sqlText, params);
}

void Session::executeScript(std::string_view sqlText) {
    lease_->call([&] { lease_->connection().executeScript(sqlText); });
}

Transaction Session::begin() {
    if ((lease_->core().info().capabilities & kCapTransactions) == 0)
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + lease_->core().info().driver + "' does not support transactions");
    return Transaction(lease_);
}

// ---- Database ---------------------------------------------------------------

Database::Database(std::shared_ptr<detail::DatabaseCore> core) : core_(std::move(core)) {}
Database::Database(Database&&) noexcept = default;
Database& Database::operator=(Database&&) noexcept = default;
Database::~Database() = default;

Database Database::open(const Config& config) {
    const std::vector<std::string> searchPath = config.pluginSearchPath();
    auto& registry = DriverRegistry::instance();
    ResolvedSource resolved = resolveDataSource(config, [&](const std::string& scheme) {
        return registry.driverForScheme(scheme, searchPath);
    });
    LoadedDriver driver = registry.load(resolved.driverName, searchPath);
    DataSource source = finishDataSource(config, resolved, driver.info);

    DatabaseInfo info{driver.info.name, driver.info.version, describeTarget(source, driver.info),
                      driver.info.capabilities};
    auto core = std::make_shared<detail::DatabaseCore>(std::move(driver), std::move(source),
                                                       std::move(info));
    // Open one connection now so a bad configuration fails here, not on first use.
    core->release(core->acquire());
    return Database(std::move(core));
}

Result Database::exec(std::string_view sqlText, Params params) {
    return std::make_shared<detail::Lease>(core_)->exec(sqlText, params);
}

Rows Database::query(std::string_view sqlText, Params params) {
    return std::make_shared<detail::Lease>(core_)->query(sqlText, params);
}

PreparedStatement Database::prepare(std::string_view sqlText) {
    return std::make_shared<detail::Lease>(core_)->prepare(sqlText);
}

Transaction Database::begin() {
    if (!has(kCapTransactions))
        throw Error(ErrorCategory::Unsupported,
                    "driver '" + info().driver + "' does not support transactions");
    return Transaction(std::make_shared<detail::Lease>(core_));
}

Session Database::session() {
    return Session(std::make_shared<detail::Lease>(core_));
}

void Database::ping() {
    auto lease = std::make_shared<detail::Lease>(core_);
    lease->call([&] { lease->connection().ping(); });
}

std::string Database::serverVersion() {
    auto lease = std::make_shared<detail::Lease>(core_);
    return lease->call([&] { return lease->connection().serverVersion(); });
}

const DatabaseInfo& Database::info() const {
    return core_->info();
}

const Dialect& Database::dialect() const {
    return core_->dialect();
}

}  // namespace plugdb
