// Named parameters: NamedParams, rewriting ":name" to the dialect's
// placeholders, and binding the values in placeholder order.
#include <algorithm>
#include <cctype>

#include "plugdb/error.h"
#include "plugdb/named_queries.h"
#include "plugdb/sql.h"

namespace plugdb {
namespace {

bool isNameStart(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_';
}

bool isNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

}  // namespace

NamedParams::NamedParams(std::initializer_list<std::pair<std::string, Value>> values) {
    for (const auto& [name, value] : values) set(name, value);
}

NamedParams NamedParams::positional(std::vector<Value> values) {
    NamedParams params;
    params.positional_ = std::move(values);
    return params;
}

NamedParams& NamedParams::set(std::string name, Value value) {
    // ":tenant_id" and "tenant_id" name the same parameter.
    if (name.starts_with(':')) name.erase(0, 1);
    for (auto& entry : named_)
        if (entry.first == name) {
            entry.second = std::move(value);
            return *this;
        }
    named_.emplace_back(std::move(name), std::move(value));
    return *this;
}

const Value* NamedParams::find(std::string_view name) const {
    for (const auto& entry : named_)
        if (entry.first == name) return &entry.second;
    return nullptr;
}

NamedStatement rewriteNamedParameters(std::string_view text, Dialect::Placeholders style) {
    NamedStatement out;
    std::string portable;  // ":name" and "?" as "?", for sql::rewritePlaceholders
    portable.reserve(text.size());
    std::size_t positional = 0;
    std::size_t i = 0;
    while (i < text.size()) {
        if (const std::size_t end = sql::nonCodeEnd(text, i); end != i) {
            portable += text.substr(i, end - i);
            i = end;
        } else if (text[i] == '?') {
            if (i + 1 < text.size() && text[i + 1] == '?') {
                portable += "??";  // a literal "?"
                i += 2;
                continue;
            }
            out.slots.push_back("?" + std::to_string(++positional));
            out.names.push_back(out.slots.back());
            portable += '?';
            ++i;
        } else if (text[i] == ':' && i + 1 < text.size() && text[i + 1] == ':') {
            portable += "::";  // a PostgreSQL cast, never a parameter
            i += 2;
        } else if (text[i] == ':' && i + 1 < text.size() && isNameStart(text[i + 1]) &&
                   (i == 0 || !isNameChar(text[i - 1]))) {  // not "a[1:n]"
            std::size_t nameEnd = i + 1;
            while (nameEnd < text.size() && isNameChar(text[nameEnd])) ++nameEnd;
            std::string name(text.substr(i + 1, nameEnd - i - 1));
            out.slots.push_back(name);
            if (std::find(out.names.begin(), out.names.end(), name) == out.names.end())
                out.names.push_back(name);
            portable += '?';
            i = nameEnd;
        } else {
            portable += text[i++];
        }
    }
    out.positional = positional > 0;
    if (out.positional && out.slots.size() != positional)
        throw Error(ErrorCategory::Syntax,
                    "a statement uses both '?' and :name parameters; use one kind");
    out.sql = sql::rewritePlaceholders(portable, style).text;
    return out;
}

std::vector<Value> bindNamedParameters(const NamedStatement& statement, const NamedParams& params,
                                       std::string_view queryName) {
    const std::string query = "named query '" + std::string(queryName) + "'";
    std::vector<Value> values;
    values.reserve(statement.slots.size());
    if (statement.positional) {
        if (!params.named().empty())
            throw Error(ErrorCategory::InvalidArgument,
                        query + " is written with '?': pass NamedParams::positional, not names");
        if (params.positionalValues().size() != statement.names.size())
            throw Error(ErrorCategory::InvalidArgument,
                        query + " has " + std::to_string(statement.names.size()) +
                            " '?' parameter(s) but " +
                            std::to_string(params.positionalValues().size()) + " were given");
        return params.positionalValues();
    }
    if (!params.positionalValues().empty())
        throw Error(ErrorCategory::InvalidArgument,
                    query + " takes parameters by name, not by position");
    for (const auto& [name, value] : params.named())
        if (std::find(statement.names.begin(), statement.names.end(), name) ==
            statement.names.end())
            throw Error(ErrorCategory::InvalidArgument,
                        query + " has no parameter :" + name +
                            (statement.names.empty() ? std::string(" (it has none)") : ""));
    for (const auto& slot : statement.slots) {
        const Value* value = params.find(slot);
        if (value == nullptr)
            throw Error(ErrorCategory::InvalidArgument, query + " needs a value for :" + slot);
        values.push_back(*value);
    }
    return values;
}

}  // namespace plugdb
