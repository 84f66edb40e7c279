#include "kv_history.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "plugdb/error.h"

namespace plugdb::migrate {
namespace {

std::string encode(const Record& record) {
    Poco::JSON::Object object;
    object.set("version", static_cast<Poco::Int64>(record.version));
    object.set("name", record.name);
    object.set("checksum", record.checksum);
    object.set("applied_at", record.appliedAt);
    object.set("execution_ms", static_cast<Poco::Int64>(record.executionMs));
    object.set("applied_by", record.appliedBy);
    object.set("success", record.success);
    object.set("statements_applied", record.statementsApplied);
    object.set("statements_total", record.statementsTotal);
    object.set("kind", record.kind);
    object.set("error", record.error);
    std::ostringstream out;
    object.stringify(out);
    return out.str();
}

Record decode(const std::string& key, const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        const auto object = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
        Record record;
        record.version = object->getValue<Poco::Int64>("version");
        record.name = object->getValue<std::string>("name");
        record.checksum = object->getValue<std::string>("checksum");
        record.appliedAt = object->getValue<std::string>("applied_at");
        record.executionMs = object->getValue<Poco::Int64>("execution_ms");
        record.appliedBy = object->getValue<std::string>("applied_by");
        record.success = object->getValue<bool>("success");
        record.statementsApplied = object->getValue<int>("statements_applied");
        record.statementsTotal = object->getValue<int>("statements_total");
        record.kind = object->getValue<std::string>("kind");
        record.error = object->optValue<std::string>("error", "");
        return record;
    } catch (const Poco::Exception& e) {
        throw Error(ErrorCategory::Config, "the migration history record " +
                                               std::string(kKvNamespace) + "/" + key +
                                               " is not a record plugdb wrote (" + e.displayText() +
                                               "); restore or erase it");
    }
}

}  // namespace

KvHistory::KvHistory(Database& db, const Options& options)
    : kv_(detail::reservedKeyValue(db, kKvNamespace)),
      prefix_(options.table + "/history/"),
      appliedBy_(appliedByOf(options)) {}

std::string KvHistory::keyOf(std::int64_t version) const {
    std::string number = std::to_string(version);
    number.insert(0, number.size() < 20 ? 20 - number.size() : 0, '0');  // byte order = numeric
    return prefix_ + number;
}

std::map<std::int64_t, Record> KvHistory::history() {
    std::map<std::int64_t, Record> records;
    KvScan scan = kv_.scanPrefix(prefix_);
    while (scan.next()) {
        Record record = decode(scan.key(), scan.value());
        records.emplace(record.version, std::move(record));
    }
    return records;
}

std::optional<Record> KvHistory::record(std::int64_t version) {
    const std::string key = keyOf(version);
    auto text = kv_.get(key);
    if (!text) return std::nullopt;
    return decode(key, *text);
}

void KvHistory::put(const Record& record) {
    kv_.put(keyOf(record.version), encode(record));
}

void KvHistory::erase(std::int64_t version) {
    kv_.erase(keyOf(version));
}

Record KvHistory::recordOf(const Migration& migration, bool success, const std::string& kind,
                           std::int64_t executionMs) const {
    Record record;
    record.version = migration.version;
    record.name = migration.name;
    record.checksum = migration.checksum;
    record.appliedAt = nowIso();
    record.executionMs = executionMs;
    record.appliedBy = appliedBy_;
    record.success = success;
    record.kind = kind;
    return record;
}

}  // namespace plugdb::migrate
