// Named queries: SQL kept in .sql files of a folder (queries.path), one
// statement per "-- name: NAME" block, run by name with parameters bound by
// name. The rules of the files are in docs/named-queries.md.
#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugdb/driver.h"
#include "plugdb/value.h"

namespace plugdb {

class Config;

// The values of a named query's parameters: `{{"tenant_id", id}, {"limit", 10}}`
// for :tenant_id and :limit, or NamedParams::positional({id, 10}) for a query
// written with "?". Owns its values.
class NamedParams {
public:
    NamedParams() = default;
    NamedParams(std::initializer_list<std::pair<std::string, Value>> values);
    static NamedParams positional(std::vector<Value> values);

    NamedParams& set(std::string name, Value value);  // replaces an earlier value of name
    const Value* find(std::string_view name) const;   // null when not given
    const std::vector<std::pair<std::string, Value>>& named() const { return named_; }
    const std::vector<Value>& positionalValues() const { return positional_; }

private:
    std::vector<std::pair<std::string, Value>> named_;
    std::vector<Value> positional_;
};

// One statement of a named query, written portably or for one engine.
struct NamedQueryVariant {
    std::string engine;  // a driver's canonical name; empty for the portable one
    // False when no installed plugin has the engine's name or alias: the
    // variant is checked like the others but runs only where that driver is.
    bool engineInstalled = true;
    std::string file;         // as found under the folder, e.g. "queries/tenants.sql"
    int line = 0;             // of its "-- name:" line
    std::string sql;          // the statement as written (without the block's ';')
    std::string description;  // the comment lines right after the name line
    // Distinct :names in order of first use; for "?" queries "?1", "?2", ...
    std::vector<std::string> parameters;
    std::string where() const { return file + ":" + std::to_string(line); }
};

struct NamedQuery {
    std::string name;
    std::vector<NamedQueryVariant> variants;  // the portable one first, if any
    // The variant for a driver (canonical name): its own, else the portable
    // one; null when there is neither.
    const NamedQueryVariant* variantFor(std::string_view driver) const;
};

// A statement with its named parameters rewritten for a dialect.
struct NamedStatement {
    std::string sql;                 // in the dialect's placeholder style
    std::vector<std::string> slots;  // the parameter bound at each placeholder
    std::vector<std::string> names;  // distinct parameters, in order of first use
    bool positional = false;         // written with "?" ("?1", "?2", ... in slots)
};

// Rewrites ":name" and "?" placeholders to the dialect's style. Literals,
// quoted identifiers, comments and dollar-quoted bodies are left alone, as are
// "::" casts and "??" (a literal "?"). A name is a letter or '_' then letters,
// digits and '_'. Throws plugdb::Error (syntax) when one statement mixes the
// two kinds.
NamedStatement rewriteNamedParameters(std::string_view sql, Dialect::Placeholders style);

// The values for each placeholder of a statement, in order: a parameter used
// twice gets its value twice. Throws plugdb::Error (invalid_argument) naming
// a parameter the statement needs and was not given, or one it does not have.
std::vector<Value> bindNamedParameters(const NamedStatement& statement, const NamedParams& params,
                                       std::string_view queryName);

// Every named query of a folder, checked when loaded.
class NamedQueries {
public:
    // The canonical driver name for a file or block suffix ("postgresql" ->
    // "postgres"), or nullopt when no driver has that name or alias.
    using EngineLookup = std::function<std::optional<std::string>(const std::string& suffix)>;

    NamedQueries() = default;
    // Reads every *.sql file directly in `folder` (sorted by name; sub-folders
    // and other files are ignored), each at most maxFileBytes. Throws
    // plugdb::Error (config) naming file and line for: a file that cannot be
    // read, a file or block suffix that is not a driver name, SQL outside a block,
    // a block without a name or a bad name, an empty block, more than one
    // statement in a block, a name defined twice for one engine, variants of
    // one query whose parameters differ, and "?" mixed with :names.
    static NamedQueries load(const std::string& folder, const EngineLookup& engines,
                             std::size_t maxFileBytes);
    // load() of queries.path, as Database::open does it: engines are the
    // names and aliases of the plugins on the plugin search path, files at
    // most limits.sql_file_bytes. None when queries.path is left at its
    // default and that folder does not exist; a folder configured but absent
    // is an error.
    static NamedQueries fromConfig(const Config& config);

    const std::vector<NamedQuery>& all() const { return queries_; }  // sorted by name
    const NamedQuery* find(std::string_view name) const;
    const std::string& folder() const { return folder_; }
    bool empty() const { return queries_.empty(); }

private:
    std::string folder_;
    std::vector<NamedQuery> queries_;
};

}  // namespace plugdb
