// Row mapping (plugdb/row_mapping.h): which column each PLUGDB_ROW field
// reads, and the errors of queryOne / queryOptional.
#include <cxxabi.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "plugdb/error.h"
#include "plugdb/row_mapping.h"

namespace plugdb::detail {
namespace {

// "User" for the struct User, as the compiler spells it.
std::string typeName(const std::type_info& type) {
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> name(
        abi::__cxa_demangle(type.name(), nullptr, nullptr, &status), &std::free);
    return status == 0 && name ? std::string(name.get()) : std::string(type.name());
}

// Names compare ignoring ASCII case and underscores: createdAt, created_at, CREATEDAT.
std::string matchKey(std::string_view name) {
    std::string key;
    for (const char c : name) {
        if (c == '_') continue;
        key += c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return key;
}

std::vector<std::string_view> splitFieldNames(std::string_view list) {
    std::vector<std::string_view> names;
    while (!list.empty()) {
        const auto comma = list.find(',');
        std::string_view name = list.substr(0, comma);
        while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
        while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
        names.push_back(name);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return names;
}

std::string columnList(const std::vector<Column>& columns) {
    std::string list;
    for (const Column& column : columns) list += (list.empty() ? "" : ", ") + column.name;
    return list.empty() ? "none" : list;
}

}  // namespace

std::vector<std::size_t> matchFields(const std::vector<Column>& columns,
                                     std::string_view fieldNames, const std::type_info& type) {
    std::vector<std::size_t> indexes;
    for (const std::string_view field : splitFieldNames(fieldNames)) {
        const std::string key = matchKey(field);
        std::optional<std::size_t> found;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (matchKey(columns[i].name) != key) continue;
            if (found)
                throw Error(ErrorCategory::InvalidArgument,
                            "the columns " + columns[*found].name + " (index " +
                                std::to_string(*found) + ") and " + columns[i].name + " (index " +
                                std::to_string(i) + ") both match the field " + std::string(field) +
                                " of " + typeName(type) + "; rename one with AS");
            found = i;
        }
        if (!found)
            throw Error(ErrorCategory::InvalidArgument,
                        "the result has no column for the field " + std::string(field) + " of " +
                            typeName(type) + " (its columns: " + columnList(columns) + ")");
        indexes.push_back(*found);
    }
    return indexes;
}

void requireOneColumn(const std::vector<Column>& columns, const char* type) {
    if (columns.size() == 1) return;
    throw Error(ErrorCategory::InvalidArgument,
                "reading " + std::string(type) + " needs a result of one column, this one has " +
                    std::to_string(columns.size()) + " (" + columnList(columns) +
                    "); read a struct declared with PLUGDB_ROW or a std::tuple instead");
}

void throwRowCount(const char* call, bool none) {
    if (none)
        throw Error(ErrorCategory::InvalidArgument,
                    std::string(call) +
                        ": the query returned no row; use queryOptional when none is an answer");
    throw Error(ErrorCategory::InvalidArgument,
                std::string(call) + ": the query returned more than one row");
}

}  // namespace plugdb::detail
