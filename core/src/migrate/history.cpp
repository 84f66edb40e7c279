#include "history.h"

#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "plugdb/sql.h"

namespace plugdb::migrate {
namespace {

std::string defaultAppliedBy() {
    const char* user = std::getenv("USER");
    if (user == nullptr)
        if (const passwd* entry = getpwuid(geteuid())) user = entry->pw_name;
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return std::string(user != nullptr ? user : "unknown") + "@" + host;
}

}  // namespace

HistoryTable::HistoryTable(Database& db, const Options& options)
    : db_(db), options_(options), table_(sql::quoteIdentifier(options.table, db.dialect())) {}

void HistoryTable::createTable(Session& session) {
    session.executeScript(
        "CREATE TABLE IF NOT EXISTS " + table_ +
        " (version BIGINT NOT NULL PRIMARY KEY, name VARCHAR(255) NOT NULL,"
        " checksum VARCHAR(64) NOT NULL, applied_at VARCHAR(32) NOT NULL,"
        " execution_ms BIGINT NOT NULL, applied_by VARCHAR(255) NOT NULL,"
        " success SMALLINT NOT NULL, statements_applied INTEGER NOT NULL,"
        " statements_total INTEGER NOT NULL, kind VARCHAR(16) NOT NULL, error TEXT,"
        " applied_checksum VARCHAR(64))");
}

Record HistoryTable::recordOf(Rows& rows) {
    Record r;
    r.version = rows.getInt(0);
    r.name = rows.getText(1);
    r.checksum = rows.getText(2);
    r.appliedAt = rows.getText(3);
    r.executionMs = rows.getInt(4);
    r.appliedBy = rows.getText(5);
    r.success = rows.getInt(6) != 0;
    r.statementsApplied = static_cast<int>(rows.getInt(7));
    r.statementsTotal = static_cast<int>(rows.getInt(8));
    r.kind = rows.getText(9);
    r.error = rows.getOptionalText(10).value_or("");
    r.appliedChecksum = rows.getOptionalText(11).value_or("");
    return r;
}

std::map<std::int64_t, Record> HistoryTable::historyIfAny() {
    Session session = db_.session();
    try {
        return history(session);
    } catch (const Error& e) {
        if (e.category() == ErrorCategory::Syntax) return {};  // no such table
        throw;
    }
}

std::optional<Record> HistoryTable::record(Transaction& tx, std::int64_t version) {
    auto rows = tx.query("SELECT success FROM " + table_ + " WHERE version = ?", {version});
    if (!rows.next()) return std::nullopt;
    Record r;
    r.version = version;
    r.success = rows.getInt(0) != 0;
    return r;
}

std::string appliedByOf(const Options& options) {
    return options.appliedBy.empty() ? defaultAppliedBy() : options.appliedBy;
}

std::string nowIso() {
    using namespace std::chrono;
    const auto now = system_clock::now();
    const std::time_t seconds = system_clock::to_time_t(now);
    const auto millis = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                  static_cast<int>(millis));
    return text;
}

}  // namespace plugdb::migrate
