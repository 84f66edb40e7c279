// The migrations of a Migrator: the folder's and the program's, merged.
#include "migration_list.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>

#include "plugdb/error.h"

namespace plugdb::migrate {
namespace {

Error codeError(const std::string& message) {
    return Error(ErrorCategory::Config, message + " (see migrations/README.md, code migrations)");
}

// 2 and "users" -> "0002_users", like a folder made by 'migrate create'.
std::string directoryOf(std::int64_t version, const std::string& name) {
    std::string number = std::to_string(version);
    if (number.size() < 4) number.insert(0, 4 - number.size(), '0');
    return number + "_" + name;
}

Migration fromCode(const CodeMigration& code) {
    static const std::regex kName("[A-Za-z0-9_\\-]+");
    if (!std::regex_match(code.name, kName))
        throw codeError("code migration " + std::to_string(code.version) + " is named '" +
                        code.name + "'; a name uses letters, digits, '_' and '-'");
    const std::string directory = directoryOf(code.version, code.name);
    if (code.version <= 0)
        throw codeError("code migration " + directory + " has version " +
                        std::to_string(code.version) + "; versions start at 1");
    if (code.declaredVersion.empty())
        throw codeError("code migration " + directory +
                        " declares no version string (CodeMigration::declaredVersion); the "
                        "history keeps its checksum to notice when the migration changes");
    Migration migration;
    migration.version = code.version;
    migration.name = code.name;
    migration.directory = directory;
    migration.checksum = checksum(code.declaredVersion);
    migration.code = std::make_shared<const CodeMigration>(code);
    return migration;
}

// The folder's migrations, none where there is no folder to read.
std::vector<Migration> folderMigrations(const Options& options, const std::string& driver,
                                        bool keyValue) {
    if (options.path.empty()) return {};
    std::error_code ec;
    if (keyValue && !std::filesystem::is_directory(options.path, ec)) return {};
    auto files = loadMigrations(options.path, driver, /*allowGaps=*/true, options.maxFileBytes);
    if (keyValue && !files.empty())
        throw Error(
            ErrorCategory::Config,
            driver + " is a key-value engine: the SQL migrations in " + options.path + " (" +
                files.front().directory +
                ", ...) cannot run on it (plugdb kv reads and writes its data). Register code "
                "migrations with kvUp (migrations/README.md) and leave migrations.path empty "
                "or pointing to a folder without migrations");
    return files;
}

}  // namespace

std::string describe(const Migration& migration) {
    return (migration.code ? "code migration " : "folder ") + migration.directory;
}

std::vector<Migration> migrationList(const Options& options, const std::string& driver,
                                     bool keyValue) {
    std::map<std::int64_t, Migration> byVersion;
    for (auto& migration : folderMigrations(options, driver, keyValue))
        byVersion.emplace(migration.version, std::move(migration));
    for (const auto& code : options.code) {
        Migration migration = fromCode(code);
        if (auto other = byVersion.find(migration.version); other != byVersion.end())
            throw codeError("version " + std::to_string(migration.version) + " is taken by both " +
                            describe(other->second) + " and " + describe(migration) +
                            "; give one of them another version");
        byVersion.emplace(migration.version, std::move(migration));
    }
    std::vector<Migration> migrations;
    for (auto& [version, migration] : byVersion) migrations.push_back(std::move(migration));
    if (!options.allowGaps) checkGaps(migrations);
    return migrations;
}

}  // namespace plugdb::migrate
