#include "schema.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <vector>

namespace plugdb::test {
namespace {

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Engine type names to the portable subset's: integer, text, varchar(n), boolean, timestamp.
std::string normalizeType(std::string type, const std::string& length) {
    type = lower(type);
    if (type == "character varying" || type == "varchar") return "varchar(" + length + ")";
    if (type.starts_with("varchar")) return type;
    if (type == "tinyint" || type == "boolean" || type == "bool") return "boolean";
    if (type.starts_with("timestamp") || type == "datetime") return "timestamp";
    if (type == "bigint" || type == "integer" || type == "int" || type == "smallint")
        return "integer";
    return type;
}

std::string onDelete(std::string rule) {
    rule = lower(rule);
    if (rule == "a" || rule == "no action") return "no action";
    if (rule == "r") return "restrict";
    if (rule == "c") return "cascade";
    if (rule == "n") return "set null";
    if (rule == "d") return "set default";
    return rule;
}

struct Table {
    std::vector<std::string> columns;  // in order
    std::vector<std::string> primaryKey;
    std::map<std::string, std::pair<bool, std::vector<std::string>>> indexes;  // name: unique, cols
    std::set<std::string> foreignKeys;  // normalized text, without the name (SQLite has none)
};

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& part : parts) out += (out.empty() ? "" : ", ") + part;
    return out;
}

void readSqlite(Database& db, std::map<std::string, Table>& tables) {
    for (auto& [name, table] : tables) {
        auto columns = db.query(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid", {name});
        std::map<std::int64_t, std::string> pk;
        while (columns.next()) {
            const bool notNull = columns.getInt(2) != 0 || columns.getInt(3) != 0;
            table.columns.push_back(columns.getText(0) + " " +
                                    normalizeType(columns.getText(1), "") +
                                    (notNull ? " not null" : " null"));
            if (columns.getInt(3) > 0) pk[columns.getInt(3)] = columns.getText(0);
        }
        for (auto& [order, column] : pk) table.primaryKey.push_back(column);
        auto indexes = db.query("SELECT name, \"unique\" FROM pragma_index_list(?)", {name});
        std::vector<std::pair<std::string, bool>> found;
        while (indexes.next()) found.emplace_back(indexes.getText(0), indexes.getInt(1) != 0);
        for (const auto& [index, unique] : found) {
            if (index.starts_with("sqlite_autoindex_")) continue;
            auto cols = db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", {index});
            std::vector<std::string> names;
            while (cols.next()) names.push_back(cols.getText(0));
            table.indexes[index] = {unique, names};
        }
        auto keys = db.query(
            "SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?)"
            " ORDER BY id, seq",
            {name});
        std::map<std::int64_t, std::vector<std::string>> parts;  // id: table, on delete, from, to
        while (keys.next()) {
            auto& key = parts[keys.getInt(0)];
            if (key.empty()) key = {keys.getText(1), onDelete(keys.getText(4)), "", ""};
            key[2] += (key[2].empty() ? "" : ", ") + keys.getText(2);
            key[3] += (key[3].empty() ? "" : ", ") + keys.getText(3);
        }
        for (const auto& [id, key] : parts)
            table.foreignKeys.insert("(" + key[2] + ") -> " + key[0] + " (" + key[3] +
                                     ") on delete " + key[1]);
    }
}

void readPostgres(Database& db, std::map<std::string, Table>& tables) {
    for (auto& [name, table] : tables) {
        auto columns = db.query(
            "SELECT column_name, data_type, COALESCE(character_maximum_length, 0), is_nullable"
            " FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ? ORDER BY ordinal_position",
            {name});
        while (columns.next())
            table.columns.push_back(
                columns.getText(0) + " " +
                normalizeType(columns.getText(1), std::to_string(columns.getInt(2))) +
                (columns.getText(3) == "NO" ? " not null" : " null"));
        auto indexes = db.query(
            "SELECT ic.relname, ix.indisunique, ix.indisprimary, a.attname"
            " FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid"
            " JOIN pg_class ic ON ic.oid = ix.indexrelid"
            " CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)"
            " JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum"
            " WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace"
            " ORDER BY ic.relname, k.ord",
            {name});
        while (indexes.next()) {
            if (indexes.getBool(2)) {
                table.primaryKey.push_back(indexes.getText(3));
                continue;
            }
            auto& index = table.indexes[indexes.getText(0)];
            index.first = indexes.getBool(1);
            index.second.push_back(indexes.getText(3));
        }
        auto keys = db.query(
            "SELECT c.conname, ft.relname, c.confdeltype::text, a.attname, fa.attname"
            " FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid"
            " JOIN pg_class ft ON ft.oid = c.confrelid"
            " CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, fcol, ord)"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col"
            " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = k.fcol"
            " WHERE c.contype = 'f' AND t.relname = ?"
            " AND t.relnamespace = current_schema()::regnamespace ORDER BY c.conname, k.ord",
            {name});
        std::map<std::string, std::vector<std::string>> parts;
        while (keys.next()) {
            auto& key = parts[keys.getText(0)];
            if (key.empty()) key = {keys.getText(1), onDelete(keys.getText(2)), "", ""};
            key[2] += (key[2].empty() ? "" : ", ") + keys.getText(3);
            key[3] += (key[3].empty() ? "" : ", ") + keys.getText(4);
        }
        for (const auto& [id, key] : parts)
            table.foreignKeys.insert("(" + key[2] + ") -> " + key[0] + " (" + key[3] +
                                     ") on delete " + key[1]);
    }
}

void readMysql(Database& db, std::map<std::string, Table>& tables) {
    for (auto& [name, table] : tables) {
        auto columns = db.query(
            "SELECT column_name, data_type, COALESCE(character_maximum_length, 0), is_nullable"
            " FROM information_schema.columns WHERE table_schema = DATABASE()"
            " AND table_name = ? ORDER BY ordinal_position",
            {name});
        while (columns.next())
            table.columns.push_back(
                columns.getText(0) + " " +
                normalizeType(columns.getText(1), std::to_string(columns.getInt(2))) +
                (columns.getText(3) == "NO" ? " not null" : " null"));
        std::map<std::string, std::vector<std::string>> parts;
        auto keys = db.query(
            "SELECT k.constraint_name, k.referenced_table_name, r.delete_rule, k.column_name,"
            " k.referenced_column_name FROM information_schema.key_column_usage k"
            " JOIN information_schema.referential_constraints r"
            " ON r.constraint_schema = k.constraint_schema AND r.constraint_name = "
            "k.constraint_name"
            " AND r.table_name = k.table_name"
            " WHERE k.table_schema = DATABASE() AND k.table_name = ?"
            " AND k.referenced_table_name IS NOT NULL ORDER BY k.constraint_name,"
            " k.ordinal_position",
            {name});
        while (keys.next()) {
            auto& key = parts[keys.getText(0)];
            if (key.empty()) key = {keys.getText(1), onDelete(keys.getText(2)), "", ""};
            key[2] += (key[2].empty() ? "" : ", ") + keys.getText(3);
            key[3] += (key[3].empty() ? "" : ", ") + keys.getText(4);
        }
        for (const auto& [id, key] : parts)
            table.foreignKeys.insert("(" + key[2] + ") -> " + key[0] + " (" + key[3] +
                                     ") on delete " + key[1]);
        auto indexes = db.query(
            "SELECT index_name, non_unique, column_name FROM information_schema.statistics"
            " WHERE table_schema = DATABASE() AND table_name = ? ORDER BY index_name, seq_in_index",
            {name});
        while (indexes.next()) {
            const std::string index = indexes.getText(0);
            if (index == "PRIMARY") {
                table.primaryKey.push_back(indexes.getText(2));
                continue;
            }
            // InnoDB adds an index named after a foreign key that has none to use.
            if (parts.contains(index)) continue;
            auto& entry = table.indexes[index];
            entry.first = indexes.getInt(1) == 0;
            entry.second.push_back(indexes.getText(2));
        }
    }
}

}  // namespace

std::string describeSchema(Database& db, const std::string& skipTable) {
    const std::string& driver = db.info().driver;
    std::map<std::string, Table> tables;
    auto names = driver == "sqlite" ? db.query(
                                          "SELECT name FROM sqlite_master WHERE type = 'table'"
                                          " AND name NOT LIKE 'sqlite_%'")
                 : driver == "postgres"
                     ? db.query(
                           "SELECT table_name FROM information_schema.tables WHERE"
                           " table_schema = current_schema() AND table_type = 'BASE TABLE'")
                     : db.query(
                           "SELECT table_name FROM information_schema.tables WHERE"
                           " table_schema = DATABASE() AND table_type = 'BASE TABLE'");
    while (names.next())
        if (names.getText(0) != skipTable) tables[names.getText(0)];
    if (driver == "sqlite")
        readSqlite(db, tables);
    else if (driver == "postgres")
        readPostgres(db, tables);
    else
        readMysql(db, tables);

    std::string out;
    for (const auto& [name, table] : tables) {
        out += "table " + name + "\n";
        for (const auto& column : table.columns) out += "  column " + column + "\n";
        out += "  primary key (" + joined(table.primaryKey) + ")\n";
        for (const auto& [index, spec] : table.indexes)
            out += std::string("  ") + (spec.first ? "unique index " : "index ") + index + " (" +
                   joined(spec.second) + ")\n";
        for (const auto& key : table.foreignKeys) out += "  foreign key " + key + "\n";
    }
    return out;
}

}  // namespace plugdb::test
