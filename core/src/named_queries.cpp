// Loading a folder of named queries: every rule of docs/named-queries.md is
// checked here, so a bad file fails when the database opens.
#include "plugdb/named_queries.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/registry.h"
#include "plugdb/settings.h"
#include "plugdb/sql.h"

namespace plugdb {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxNameBytes = 128;

std::string_view trim(std::string_view text) {
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0)
        text.remove_prefix(1);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())) != 0)
        text.remove_suffix(1);
    return text;
}

[[noreturn]] void fail(const std::string& where, const std::string& message) {
    throw Error(ErrorCategory::Config, where + ": " + message);
}

// A letter, then letters, digits, '_', '-' and '.'.
bool validName(std::string_view name) {
    if (name.empty() || name.size() > kMaxNameBytes ||
        std::isalpha(static_cast<unsigned char>(name.front())) == 0)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
    });
}

// "-- name: NAME" or "-- name: NAME :ENGINE"; false for any other line.
struct NameLine {
    std::string name;
    std::string engine;
};
bool parseNameLine(std::string_view line, NameLine& out, const std::string& where) {
    line = trim(line);
    if (!line.starts_with("--")) return false;
    line = trim(line.substr(2));
    if (!line.starts_with("name:")) return false;
    line = trim(line.substr(5));
    const auto space = line.find_first_of(" \t");
    out.name = std::string(line.substr(0, space));
    out.engine.clear();
    if (space != std::string_view::npos) {
        const std::string_view rest = trim(line.substr(space));
        if (!rest.starts_with(':') || rest.size() < 2 ||
            rest.find_first_of(" \t") != std::string_view::npos)
            fail(where, "expected '-- name: NAME' or '-- name: NAME :ENGINE', got '" +
                            std::string(trim(line)) + "'");
        out.engine = std::string(rest.substr(1));
    }
    if (out.name.empty()) fail(where, "a '-- name:' line without a name");
    if (!validName(out.name))
        fail(where, "'" + out.name +
                        "' is not a query name: a letter, then letters, digits, '_', '-' or '.' "
                        "(at most 128 bytes)");
    return true;
}

// The engine a suffix names: a driver's canonical name when an installed
// plugin has that name or alias; otherwise the suffix itself, marked not
// installed, so a deployment without that driver still loads (and checks)
// the folder, and `plugdb queries list|check` show the suffix for a typo.
struct EngineName {
    std::string name;
    bool installed = true;
};
EngineName engineOf(const std::string& suffix, const NamedQueries::EngineLookup& engines,
                    const std::string& where) {
    if (auto canonical = engines(suffix)) return {*canonical, true};
    const bool plausible =
        !suffix.empty() && std::isalpha(static_cast<unsigned char>(suffix.front())) &&
        std::all_of(suffix.begin(), suffix.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
    if (!plausible)
        fail(where,
             "'" + suffix + "' is not a driver name: a letter, then letters, digits, '_' or '-'");
    return {suffix, false};
}

std::string describeParameters(const std::vector<std::string>& parameters) {
    if (parameters.empty()) return "none";
    std::string text;
    for (const auto& p : parameters)
        text += (text.empty() ? "" : ", ") + (p.starts_with('?') ? p : ":" + p);
    return text;
}

class FileParser {
public:
    FileParser(std::string file, std::string fileEngine, bool fileEngineInstalled)
        : file_(std::move(file)),
          fileEngine_(std::move(fileEngine)),
          fileEngineInstalled_(fileEngineInstalled) {}

    std::vector<std::pair<std::string, NamedQueryVariant>> parse(
        std::string_view text, const NamedQueries::EngineLookup& engines) {
        if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM
        std::vector<std::string_view> lines;
        for (std::size_t start = 0; start <= text.size();) {
            const auto end = text.find('\n', start);
            std::string_view line = text.substr(
                start, end == std::string_view::npos ? std::string_view::npos : end - start);
            if (line.ends_with('\r')) line.remove_suffix(1);
            lines.push_back(line);
            if (end == std::string_view::npos) break;
            start = end + 1;
        }
        std::size_t n = 0;
        std::size_t preambleCode = 0;  // first line of SQL before any block
        for (; n < lines.size(); ++n) {
            NameLine header;
            if (parseNameLine(lines[n], header, at(n))) break;
            const std::string_view line = trim(lines[n]);
            if (preambleCode == 0 && !line.empty() && !line.starts_with("--")) preambleCode = n + 1;
        }
        if (preambleCode != 0) {
            std::string preamble;
            for (std::size_t k = 0; k < n; ++k) preamble += std::string(lines[k]) + "\n";
            if (!sql::splitStatements(preamble).empty())
                fail(at(preambleCode - 1),
                     "SQL outside a block: every statement follows a '-- name: NAME' line");
        }
        std::vector<std::pair<std::string, NamedQueryVariant>> out;
        while (n < lines.size()) {
            NameLine header;
            parseNameLine(lines[n], header, at(n));
            const std::size_t first = n++;
            std::size_t end = n;
            NameLine next;
            while (end < lines.size() && !parseNameLine(lines[end], next, at(end))) ++end;
            out.emplace_back(header.name, variant(header, first, lines, n, end, engines));
            n = end;
        }
        return out;
    }

private:
    std::string at(std::size_t index) const { return file_ + ":" + std::to_string(index + 1); }

    NamedQueryVariant variant(const NameLine& header, std::size_t first,
                              const std::vector<std::string_view>& lines, std::size_t begin,
                              std::size_t end, const NamedQueries::EngineLookup& engines) {
        NamedQueryVariant v;
        v.file = file_;
        v.line = static_cast<int>(first + 1);
        const std::string where = at(first);
        v.engine = fileEngine_;
        v.engineInstalled = fileEngineInstalled_;
        if (!header.engine.empty()) {
            const EngineName engine = engineOf(header.engine, engines, where);
            if (!fileEngine_.empty() && engine.name != fileEngine_)
                fail(where, "block '" + header.name + "' is marked :" + header.engine +
                                " in a file for '" + fileEngine_ + "'");
            v.engine = engine.name;
            v.engineInstalled = engine.installed;
        }
        // Comment lines right after the name line describe the query.
        std::size_t k = begin;
        for (; k < end && trim(lines[k]).starts_with("--"); ++k) {
            const std::string_view comment = trim(trim(lines[k]).substr(2));
            if (!comment.empty())
                v.description += (v.description.empty() ? "" : " ") + std::string(comment);
        }
        std::string body;
        for (std::size_t m = begin; m < end; ++m)
            body += (m < k ? std::string() : std::string(lines[m])) + "\n";
        std::vector<std::string> statements;
        try {
            statements = sql::splitStatements(body);
        } catch (const Error& e) {
            fail(where, "in block '" + header.name + "': " + e.what() +
                            " (lines counted from the name line)");
        }
        if (statements.empty()) fail(where, "block '" + header.name + "' has no SQL statement");
        if (statements.size() > 1)
            fail(where, "block '" + header.name + "' holds " + std::to_string(statements.size()) +
                            " statements; a named query is one statement");
        v.sql = statements.front();
        try {
            v.parameters = rewriteNamedParameters(v.sql, Dialect::Placeholders::Question).names;
        } catch (const Error& e) {
            fail(where, "block '" + header.name + "': " + e.what());
        }
        return v;
    }

    std::string file_;
    std::string fileEngine_;
    bool fileEngineInstalled_ = true;
};

// "tenants.sql" -> {"tenants", ""}; "tenants.postgres.sql" -> {"tenants", "postgres"}.
EngineName fileEngineOf(const std::string& filename, const std::string& where,
                        const NamedQueries::EngineLookup& engines) {
    const std::string stem = filename.substr(0, filename.size() - 4);
    const auto dot = stem.find('.');
    if (dot == std::string::npos) return {};
    if (dot == 0 || stem.find('.', dot + 1) != std::string::npos || dot + 1 == stem.size())
        fail(where, "a named-query file is NAME.sql or NAME.ENGINE.sql");
    return engineOf(stem.substr(dot + 1), engines, where);
}

void checkVariants(const NamedQuery& query) {
    const NamedQueryVariant& reference = query.variants.front();
    std::vector<std::string> expected = reference.parameters;
    std::sort(expected.begin(), expected.end());
    for (const auto& v : query.variants) {
        std::vector<std::string> got = v.parameters;
        std::sort(got.begin(), got.end());
        if (got != expected)
            fail(v.where(), "the " + (v.engine.empty() ? "portable" : v.engine) + " variant of '" +
                                query.name + "' has parameters " +
                                describeParameters(v.parameters) + ", but the " +
                                (reference.engine.empty() ? "portable" : reference.engine) +
                                " one at " + reference.where() + " has " +
                                describeParameters(reference.parameters) +
                                "; every variant takes the same parameters");
    }
}

}  // namespace

const NamedQueryVariant* NamedQuery::variantFor(std::string_view driver) const {
    const NamedQueryVariant* portable = nullptr;
    for (const auto& v : variants) {
        if (v.engine == driver) return &v;
        if (v.engine.empty()) portable = &v;
    }
    return portable;
}

NamedQueries NamedQueries::load(const std::string& folder, const EngineLookup& engines,
                                std::size_t maxFileBytes) {
    NamedQueries result;
    result.folder_ = folder;
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error(ErrorCategory::Config,
                    "the named-query folder " + folder + " (queries.path) is not a directory");
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string filename = entry.path().filename().string();
        if (filename.size() > 4 && filename.ends_with(".sql")) files.push_back(filename);
    }
    if (ec)
        throw Error(ErrorCategory::Config,
                    "cannot list the named-query folder " + folder + ": " + ec.message());
    std::sort(files.begin(), files.end());

    std::map<std::string, NamedQuery, std::less<>> queries;
    for (const auto& filename : files) {
        const std::string file = (fs::path(folder) / filename).string();
        const EngineName fileEngine = fileEngineOf(filename, file, engines);
        const std::string text = readInputFile(file, maxFileBytes, "the named-query file");
        for (auto& [name, variant] :
             FileParser(file, fileEngine.name, fileEngine.installed).parse(text, engines)) {
            NamedQuery& query = queries[name];
            query.name = name;
            for (const auto& other : query.variants)
                if (other.engine == variant.engine)
                    fail(variant.where(),
                         "'" + name + "' is defined twice for " +
                             (variant.engine.empty() ? std::string("all engines (portable)")
                                                     : "engine " + variant.engine) +
                             "; the first is at " + other.where());
            query.variants.push_back(std::move(variant));
        }
    }
    for (auto& [name, query] : queries) {
        std::stable_sort(query.variants.begin(), query.variants.end(),
                         [](const auto& a, const auto& b) { return a.engine < b.engine; });
        checkVariants(query);
        result.queries_.push_back(std::move(query));
    }
    return result;
}

NamedQueries NamedQueries::fromConfig(const Config& config) {
    const std::vector<std::string> searchPath = config.pluginSearchPath();
    const Setting* given = config.find("queries.path");
    // Said explicitly: a program that has none, wherever it runs.
    if (given != nullptr && given->layer != Layer::Default && given->value.empty()) return {};
    const std::string folder = settings::text(config, "queries.path");
    std::error_code ec;
    if ((given == nullptr || given->layer == Layer::Default) &&
        !std::filesystem::exists(folder, ec))
        return {};
    std::optional<PluginScan> scan;  // only when a file or block names an engine
    auto engines = [&](const std::string& suffix) -> std::optional<std::string> {
        if (!scan) scan = DriverRegistry::instance().scan(searchPath);
        for (const auto& plugin : scan->plugins) {
            if (plugin.name == suffix) return plugin.name;
            for (const auto& alias : plugin.aliases)
                if (alias == suffix) return plugin.name;
        }
        return std::nullopt;
    };
    const auto limit = static_cast<std::size_t>(settings::integer(config, "limits.sql_file_bytes"));
    return NamedQueries::load(folder, engines, limit);
}

const NamedQuery* NamedQueries::find(std::string_view name) const {
    for (const auto& query : queries_)
        if (query.name == name) return &query;
    return nullptr;
}

}  // namespace plugdb
