// plugdb queries list | check: the named queries of queries.path.
#include <iostream>

#include "commands.h"
#include "output.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/named_queries.h"
#include "plugdb/settings.h"

namespace plugdb::host {
namespace {

std::string parameterList(const NamedQueryVariant& v) {
    std::string text;
    for (const auto& p : v.parameters)
        text += (text.empty() ? "" : " ") + (p.starts_with('?') ? p : ":" + p);
    return text;
}

std::string engineLabel(const NamedQueryVariant& v) {
    if (v.engine.empty()) return "portable";
    return v.engineInstalled ? v.engine : v.engine + " (no such driver installed)";
}

// Variants for drivers that are not installed are kept, not refused (a
// deployment ships only its drivers); a typo in a suffix shows up here.
void warnNotInstalled(const NamedQueries& queries) {
    for (const auto& query : queries.all())
        for (const auto& v : query.variants)
            if (!v.engineInstalled)
                std::cerr << "plugdb: warning: " << v.where() << ": '" << query.name
                          << "' has a variant for '" << v.engine
                          << "', which is not the name or alias of an installed driver plugin\n";
}

int noQueries(const Config& config) {
    std::cerr << "plugdb: no named queries: the folder " << settings::text(config, "queries.path")
              << " (queries.path) does not exist\n";
    return kExitNoInput;
}

int list(const Invocation& inv, Format format) {
    const NamedQueries queries = NamedQueries::fromConfig(inv.config);
    if (queries.folder().empty()) return noQueries(inv.config);
    if (format == Format::Json) {
        std::cout << "[";
        bool first = true;
        for (const auto& query : queries.all())
            for (const auto& v : query.variants) {
                std::cout << (first ? "" : ",") << "\n{\"name\":" << jsonString(query.name)
                          << ",\"engine\":" << (v.engine.empty() ? "null" : jsonString(v.engine))
                          << ",\"file\":" << jsonString(v.file) << ",\"line\":" << v.line
                          << ",\"parameters\":[";
                for (std::size_t i = 0; i < v.parameters.size(); ++i)
                    std::cout << (i ? "," : "") << jsonString(v.parameters[i]);
                std::cout << "],\"description\":" << jsonString(v.description)
                          << ",\"engine_installed\":" << (v.engineInstalled ? "true" : "false")
                          << "}";
                first = false;
            }
        std::cout << (first ? "]\n" : "\n]\n");
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& query : queries.all())
        for (const auto& v : query.variants)
            rows.push_back(
                {query.name, engineLabel(v), v.where(), parameterList(v), v.description});
    printTable({"name", "engine", "where", "parameters", "description"}, rows, std::cout);
    return kExitOk;
}

// Opens the database with prepare_on_open, which prepares every query for
// this engine and fails at the first that does not prepare, naming it.
int check(const Invocation& inv) {
    Config config = oneShot(inv.config);
    config.set("queries.prepare_on_open", "true", Layer::CommandLine, "plugdb queries check");
    Database db = Database::open(config);
    if (db.namedQueries().folder().empty()) return noQueries(inv.config);
    warnNotInstalled(db.namedQueries());
    std::size_t prepared = 0;
    for (const auto& query : db.namedQueries().all()) {
        const NamedQueryVariant* v = query.variantFor(db.info().driver);
        if (v == nullptr) {
            std::cout << "skipped " << query.name << ": no variant for " << db.info().driver
                      << "\n";
            continue;
        }
        std::cout << "ok " << query.name << " ("
                  << (v->engine.empty() ? std::string("portable") : v->engine) << ", " << v->where()
                  << ")\n";
        ++prepared;
    }
    std::cout << prepared << " named " << (prepared == 1 ? "query" : "queries") << " prepared on "
              << db.info().driver << "\n";
    return kExitOk;
}

}  // namespace

int runQueries(const Invocation& inv) {
    const Format format = parseFormat(inv.format, false);
    if (inv.args.size() != 1 || (inv.args[0] != "list" && inv.args[0] != "check"))
        throw Error(ErrorCategory::InvalidArgument,
                    "usage: plugdb queries list | check   [--format table|json]");
    return inv.args[0] == "list" ? list(inv, format) : check(inv);
}

}  // namespace plugdb::host
