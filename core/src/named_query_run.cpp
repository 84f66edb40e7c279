#include "named_query_run.h"

#include "metrics.h"
#include "named_statement_cache.h"
#include "plugdb/settings.h"
#include "plugdb/statement_check.h"

namespace plugdb::detail {
namespace {

struct Selected {
    const NamedQueryVariant* variant;
    NamedStatement statement;
};

Selected select(const Lease& lease, std::string_view name) {
    const DatabaseCore& core = lease.core();
    const NamedQueries& queries = core.namedQueries();
    const NamedQuery* query = queries.find(name);
    if (query == nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "no named query '" + std::string(name) + "'" +
                        (queries.folder().empty()
                             ? std::string(" (no queries folder was loaded, queries.path)")
                             : " in " + queries.folder()));
    const NamedQueryVariant* variant = query->variantFor(core.info().driver);
    if (variant == nullptr)
        throw Error(ErrorCategory::Unsupported,
                    "named query '" + query->name + "' has no portable variant and none for " +
                        core.info().driver + " (it has one for " + query->variants.front().engine +
                        " at " + query->variants.front().where() + ")");
    return {variant, rewriteNamedParameters(variant->sql, core.dialect().placeholders)};
}

// The query's statement on this connection, prepared on first use.
NamedStatementCache::Entry& statementFor(Lease& lease, std::string_view name,
                                         const Selected& selected, bool check = false) {
    auto& cache = lease.namedStatements();
    if (!cache) cache = std::make_shared<NamedStatementCache>();
    if (auto found = cache->entries.find(name); found != cache->entries.end()) return found->second;
    lease.yieldCursor();
    std::unique_ptr<Statement> prepared;
    try {
        prepared = lease.call([&] { return lease.connection().prepare(selected.statement.sql); });
        // A driver that prepares on first execute checks the statement now.
        if (auto* checker = dynamic_cast<StatementChecker*>(&lease.connection()); check && checker)
            lease.call([&] { checker->checkStatement(selected.statement.sql); });
    } catch (const Error& e) {
        throw Error(e.category(),
                    "named query '" + std::string(name) + "' (" + selected.variant->where() +
                        "): " + e.what(),
                    e.details());
    }
    NamedStatementCache::Entry entry;
    entry.statement = std::shared_ptr<Statement>(prepared.release());
    return cache->entries.emplace(std::string(name), std::move(entry)).first->second;
}

// Binds, then runs the cached statement as PreparedStatement::run does.
NamedStatementCache::Entry& run(Lease& lease, std::string_view name, const NamedParams& params,
                                Operation& operation) {
    const Selected selected = select(lease, name);
    const std::vector<Value> values = bindNamedParameters(selected.statement, params, name);
    if (lease.bulk != nullptr)
        throw Error(ErrorCategory::InvalidArgument,
                    "a bulk insert is in progress on this connection: finish() it first");
    NamedStatementCache::Entry& entry = statementFor(lease, name, selected);
    operation = operationOf(selected.variant->sql);
    lease.yieldCursor(entry.statement.get());
    ++*entry.runs;
    lease.noteTransactionControl(operation);
    lease.timed(operation, [&] { entry.statement->execute(values); });
    return entry;
}

}  // namespace

Rows queryNamed(Lease& lease, std::string_view name, const NamedParams& params) {
    Operation operation{};
    NamedStatementCache::Entry& entry = run(lease, name, params, operation);
    return lease.makeRows(entry.statement, entry.runs);
}

Result execNamed(Lease& lease, std::string_view name, const NamedParams& params) {
    Operation operation{};
    NamedStatementCache::Entry& entry = run(lease, name, params, operation);
    return lease.call([&] { return Lease::runToEnd(*entry.statement); });
}

void prepareNamedQueries(Lease& lease) {
    for (const NamedQuery& query : lease.core().namedQueries().all()) {
        // A query with variants for other engines only is not this engine's.
        if (query.variantFor(lease.core().info().driver) == nullptr) continue;
        statementFor(lease, query.name, select(lease, query.name), true);
    }
}

}  // namespace plugdb::detail
