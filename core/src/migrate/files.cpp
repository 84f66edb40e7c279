// Reading the migrations folder and fingerprinting its scripts.
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <regex>
#include <set>

#include "migration_list.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/migrate.h"
#include "plugdb/sql.h"

namespace fs = std::filesystem;

namespace plugdb::migrate {
namespace {

Error layoutError(const std::string& message) {
    return Error(ErrorCategory::Config, message + " (see migrations/README.md for the layout)");
}

// The text with a UTF-8 BOM removed and CRLF / CR turned into LF.
std::string normalized(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r') {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        } else {
            out += text[i];
        }
    }
    return out;
}

// True when a line of the script is exactly "-- plugdb:NAME" (spaces allowed).
bool hasMarker(std::string_view script, std::string_view name) {
    std::size_t line = 0;
    while (line < script.size()) {
        std::size_t end = script.find('\n', line);
        if (end == std::string_view::npos) end = script.size();
        std::string_view text = script.substr(line, end - line);
        auto trim = [&] {
            while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
                text.remove_prefix(1);
            while (!text.empty() &&
                   (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
                text.remove_suffix(1);
        };
        trim();
        if (text.starts_with("--")) {
            text.remove_prefix(2);
            trim();
            if (text.starts_with("plugdb:") && text.substr(7) == name) return true;
        }
        line = end + 1;
    }
    return false;
}

}  // namespace

std::string checksum(std::string_view text) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    const std::string clean = normalized(text);
    engine.update(clean.data(), static_cast<unsigned>(clean.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

bool noTransactionMarker(std::string_view script) {
    return hasMarker(script, "no-transaction");
}

bool emptyMarker(std::string_view script) {
    return hasMarker(script, "empty");
}

bool isDataStatement(std::string_view statement) {
    std::size_t i = 0;
    // Skip the blanks and comments before the first word.
    while (i < statement.size()) {
        if (std::isspace(static_cast<unsigned char>(statement[i])) != 0) {
            ++i;
        } else if (statement.substr(i, 2) == "--") {
            i = statement.find('\n', i);
            if (i == std::string_view::npos) return false;
        } else if (statement.substr(i, 2) == "/*") {
            i = statement.find("*/", i + 2);
            if (i == std::string_view::npos) return false;
            i += 2;
        } else {
            break;
        }
    }
    std::string word;
    while (i < statement.size() && std::isalpha(static_cast<unsigned char>(statement[i])) != 0)
        word += static_cast<char>(std::toupper(static_cast<unsigned char>(statement[i++])));
    static const std::set<std::string> kData{"SELECT",  "INSERT", "UPDATE", "DELETE",
                                             "REPLACE", "MERGE",  "WITH"};
    return kData.contains(word);
}

std::vector<std::string> statementsFor(const Script& script, const Target& target) {
    std::vector<std::string> statements = sql::splitStatements(normalized(script.text));
    if (script.portable)
        for (auto& statement : statements) statement = translate(statement, target);
    return statements;
}

std::vector<Migration> loadMigrations(const std::string& path, const std::string& driver,
                                      bool allowGaps, std::size_t maxFileBytes) {
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        throw Error(ErrorCategory::Config,
                    "the migrations folder '" + path +
                        "' does not exist (migrations.path, DB_MIGRATE_PATH)");
    static const std::regex kDirectory(R"(([0-9]+)_([A-Za-z0-9_\-]+))");
    static const std::regex kFlatFile(R"([0-9]+_.*\.(up|down)\.sql)");
    static const std::regex kScript(R"((up|down)(\.([a-z0-9_\-]+))?\.sql)");

    std::map<std::int64_t, Migration> byVersion;
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(path)) entries.push_back(entry.path());
    std::sort(entries.begin(), entries.end());
    for (const auto& entry : entries) {
        const std::string name = entry.filename().string();
        if (name.starts_with(".")) continue;
        std::smatch match;
        if (!fs::is_directory(entry)) {
            if (std::regex_match(name, kFlatFile))
                throw layoutError("migration file " + entry.string() +
                                  " uses the flat layout; plugdb expects " +
                                  "NNNN_name/up.sql and NNNN_name/down.sql");
            if (entry.extension() == ".sql")
                throw layoutError("unexpected file " + entry.string() +
                                  ": migrations live in NNNN_name/ folders");
            continue;  // README and the like
        }
        if (!std::regex_match(name, match, kDirectory))
            throw layoutError("folder " + entry.string() + " is not named NNNN_name");
        Migration migration;
        try {
            migration.version = std::stoll(match[1].str());
        } catch (const std::exception&) {
            throw layoutError("the version of " + entry.string() + " is too large");
        }
        migration.name = match[2].str();
        migration.directory = name;
        if (migration.version <= 0)
            throw layoutError("folder " + entry.string() + " has version 0; versions start at 1");
        if (auto other = byVersion.find(migration.version); other != byVersion.end())
            throw layoutError("folders " + other->second.directory + " and " + name +
                              " both have version " + std::to_string(migration.version));

        // Collect the scripts; the one for this driver wins over the portable one.
        std::map<std::string, Script> scripts;  // "up", "down", "up.postgres", ...
        std::vector<fs::path> files;
        for (const auto& file : fs::directory_iterator(entry)) files.push_back(file.path());
        std::sort(files.begin(), files.end());
        for (const auto& file : files) {
            const std::string fileName = file.filename().string();
            if (fileName.starts_with(".") || file.extension() != ".sql") continue;
            std::smatch scriptMatch;
            if (!std::regex_match(fileName, scriptMatch, kScript))
                throw layoutError("unexpected file " + file.string() +
                                  ": expected up.sql, down.sql, up.DRIVER.sql or down.DRIVER.sql");
            const bool portable = !scriptMatch[3].matched;
            scripts[fileName.substr(0, fileName.size() - 4)] =
                Script{file.string(), readInputFile(file.string(), maxFileBytes, "migration file"),
                       portable};
        }
        for (const auto& [key, script] : scripts) {
            if (!key.starts_with("down")) continue;
            const std::string suffix = key.substr(4);  // "" or ".postgres"
            if (!scripts.contains("up" + suffix))
                throw layoutError("migration " + name + " has " + key + ".sql but no up" + suffix +
                                  ".sql");
        }
        if (scripts.empty()) throw layoutError("migration folder " + name + " has no up.sql");
        auto pick = [&](const std::string& direction) -> std::optional<Script> {
            if (auto it = scripts.find(direction + "." + driver); it != scripts.end())
                return it->second;
            if (auto it = scripts.find(direction); it != scripts.end()) return it->second;
            return std::nullopt;
        };
        migration.up = pick("up");
        // A driver-specific up never pairs with the portable down: both or neither.
        if (migration.up && !migration.up->portable)
            migration.down = scripts.contains("down." + driver)
                                 ? std::optional<Script>(scripts.at("down." + driver))
                                 : std::nullopt;
        else
            migration.down = pick("down");
        if (migration.up) migration.checksum = checksum(migration.up->text);
        byVersion.emplace(migration.version, std::move(migration));
    }

    std::vector<Migration> migrations;
    for (auto& [version, migration] : byVersion) migrations.push_back(std::move(migration));
    if (!allowGaps) checkGaps(migrations);
    return migrations;
}

void checkGaps(const std::vector<Migration>& migrations) {
    for (std::size_t i = 0; i < migrations.size(); ++i) {
        const std::int64_t expected = i == 0 ? 1 : migrations[i - 1].version + 1;
        if (migrations[i].version != expected)
            throw layoutError(
                "migration " + migrations[i].directory + " follows " +
                (i == 0 ? std::string("nothing") : migrations[i - 1].directory) + ": version " +
                std::to_string(expected) +
                " is missing (set migrations.allow_gaps=true if the gap is intended)");
    }
}

}  // namespace plugdb::migrate
