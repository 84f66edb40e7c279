#include "migration_fixture.h"

#include <unistd.h>

#include <cctype>
#include <fstream>
#include <utility>

#include "plugdb/error.h"
#include "server_env.h"

namespace fs = std::filesystem;

namespace plugdb::test {

void PrintTo(const Engine& engine, std::ostream* out) {
    *out << engine.driver;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

Config configFor(const std::string& url) {
    Config config = Config::withDefaults();
    config.set("plugins.path", PLUGDB_TEST_PLUGIN_DIR, Layer::CommandLine, "test");
    config.set("db.url", url, Layer::CommandLine, "test");
    return config;
}

MigrationFixture::MigrationFixture(std::string folderPrefix, std::string databasePrefix)
    : folderPrefix_(std::move(folderPrefix)), databasePrefix_(std::move(databasePrefix)) {}

void MigrationFixture::SetUp() {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::string slug;
    for (char c : test)
        slug += std::isalnum(static_cast<unsigned char>(c))
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                    : '_';
    dir_ = fs::temp_directory_path() /
           (folderPrefix_ + std::to_string(getpid()) + "-" + GetParam().driver + "-" + slug);
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "migrations");
    const std::string driver = GetParam().driver;
    if (driver == "sqlite") {
        url_ = "sqlite:" + (dir_ / "test.db").string();
    } else if (driver == "rocksdb") {
        url_ = "rocksdb:" + (dir_ / "kv").string();
    } else {
        const std::string server =
            requireServerVariable(GetParam().envFile, GetParam().urlVariable);
        database_ = (databasePrefix_ + slug).substr(0, 60);
        auto admin = Database::open(configFor(server));
        dropDatabase(admin);
        admin.exec("CREATE DATABASE " + database_);
        url_ = withDatabase(server, database_);
    }
}

void MigrationFixture::TearDown() {
    fs::remove_all(dir_);
    if (database_.empty()) return;
    try {
        auto admin = Database::open(
            configFor(requireServerVariable(GetParam().envFile, GetParam().urlVariable)));
        dropDatabase(admin);
    } catch (const Error&) {
    }
}

void MigrationFixture::write(const std::string& relative, const std::string& text) {
    const fs::path file = dir_ / "migrations" / relative;
    fs::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
}

void MigrationFixture::dropDatabase(Database& admin) const {
    admin.exec("DROP DATABASE IF EXISTS " + database_ + (isPostgres() ? " WITH (FORCE)" : ""));
}

}  // namespace plugdb::test
