#include "app_migrations.h"

#include <string>

#include "plugdb/database.h"
#include "plugdb/error.h"

namespace example {
namespace {

using plugdb::KeyValue;
using plugdb::KvBatch;

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

// The inverse of quoted(), for values this program wrote.
std::string unquoted(std::string_view text) {
    std::string out;
    for (std::size_t i = 1; i + 1 < text.size(); ++i) {
        if (text[i] == '\\') ++i;
        out += text[i];
    }
    return out;
}

constexpr std::string_view kJsonStart = "{\"name\":";

}  // namespace

std::vector<plugdb::migrate::CodeMigration> appMigrations() {
    plugdb::migrate::CodeMigration schema;
    schema.version = 1;
    schema.name = "kv_schema_version";
    // Its checksum goes into the history: edit this string whenever the
    // function below changes what it writes.
    schema.declaredVersion = "schema_version=1";
    schema.ns = kNamespace;
    schema.kvUp = [](KeyValue&, KvBatch& batch) { batch.put("schema_version", "1"); };
    schema.kvDown = [](KeyValue&, KvBatch& batch) { batch.erase("schema_version"); };

    plugdb::migrate::CodeMigration rewrite;
    rewrite.version = 2;
    rewrite.name = "users_to_json";
    rewrite.declaredVersion = "user values as {\"name\":...}, v1";
    rewrite.ns = kNamespace;
    // The scan streams the current pairs; the batch holds the new ones and is
    // applied in one piece with the history record after the function returns.
    rewrite.kvUp = [](KeyValue& kv, KvBatch& batch) {
        auto users = kv.scanPrefix("user:");
        while (users.next())
            if (!users.value().starts_with(kJsonStart))
                batch.put(users.key(), std::string(kJsonStart) + quoted(users.value()) + "}");
        batch.put("schema_version", "2");
    };
    rewrite.kvDown = [](KeyValue& kv, KvBatch& batch) {
        auto users = kv.scanPrefix("user:");
        while (users.next()) {
            std::string_view value = users.value();
            if (!value.starts_with(kJsonStart) || !value.ends_with("}"))
                throw plugdb::Error(
                    plugdb::ErrorCategory::Config,
                    "user " + users.key() + " is not in layout 2: " + users.value());
            value.remove_prefix(kJsonStart.size());
            value.remove_suffix(1);
            batch.put(users.key(), unquoted(value));
        }
        batch.put("schema_version", "1");
    };
    return {schema, rewrite};
}

}  // namespace example
