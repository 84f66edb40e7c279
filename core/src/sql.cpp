#include "plugdb/sql.h"

#include <cctype>

#include "plugdb/error.h"

namespace plugdb::sql {
namespace {

bool isIdentifierChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

bool isSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// A piece of SQL text that is not code: placeholders and semicolons inside it
// mean nothing.
struct Skipped {
    std::size_t end;  // equal to the start when no such piece starts there
    bool comment = false;
};

// '...' with '' escapes; in E'...' (PostgreSQL) backslash escapes too.
std::size_t stringEnd(std::string_view sql, std::size_t open) {
    const bool backslashEscapes = open > 0 && (sql[open - 1] == 'E' || sql[open - 1] == 'e') &&
                                  (open < 2 || !isIdentifierChar(sql[open - 2]));
    std::size_t i = open + 1;
    while (i < sql.size()) {
        if (backslashEscapes && sql[i] == '\\') {
            i += 2;
        } else if (sql[i] == '\'') {
            if (i + 1 < sql.size() && sql[i + 1] == '\'') {
                i += 2;
            } else {
                return i + 1;
            }
        } else {
            ++i;
        }
    }
    return sql.size();
}

// "..." and `...` identifiers, where a doubled quote stands for itself.
std::size_t quotedIdentifierEnd(std::string_view sql, std::size_t open) {
    const char quote = sql[open];
    std::size_t i = open + 1;
    while (i < sql.size()) {
        if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return sql.size();
}

// $$...$$ or $tag$...$tag$; the tag follows identifier rules and cannot start
// with a digit, so "$1" is not an opening.
std::size_t dollarQuoteEnd(std::string_view sql, std::size_t open) {
    if (open > 0 && isIdentifierChar(sql[open - 1])) return open;
    std::size_t i = open + 1;
    if (i < sql.size() &&
        (std::isalpha(static_cast<unsigned char>(sql[i])) != 0 || sql[i] == '_')) {
        while (i < sql.size() && isIdentifierChar(sql[i]) && sql[i] != '$') ++i;
    }
    if (i >= sql.size() || sql[i] != '$') return open;
    const std::string_view tag = sql.substr(open, i + 1 - open);
    const auto close = sql.find(tag, i + 1);
    return close == std::string_view::npos ? sql.size() : close + tag.size();
}

Skipped skipNonCode(std::string_view sql, std::size_t i) {
    const char c = sql[i];
    const char next = i + 1 < sql.size() ? sql[i + 1] : '\0';
    if (c == '\'') return {stringEnd(sql, i)};
    if (c == '"' || c == '`') return {quotedIdentifierEnd(sql, i)};
    if (c == '$') return {dollarQuoteEnd(sql, i)};
    if (c == '-' && next == '-') {
        const auto newline = sql.find('\n', i);
        return {newline == std::string_view::npos ? sql.size() : newline, true};
    }
    if (c == '/' && next == '*') {
        const auto close = sql.find("*/", i + 2);
        return {close == std::string_view::npos ? sql.size() : close + 2, true};
    }
    return {i};
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

enum class Marker { None, Begin, End };

// "-- plugdb:begin" / "-- plugdb:end" on a line of their own.
Marker markerAt(std::string_view script, std::size_t i) {
    for (std::size_t k = i; k > 0 && script[k - 1] != '\n'; --k)
        if (!isSpace(script[k - 1])) return Marker::None;
    const auto lineEnd = script.find('\n', i);
    std::string_view line = trim(
        script.substr(i, lineEnd == std::string_view::npos ? std::string_view::npos : lineEnd - i));
    if (!line.starts_with("--")) return Marker::None;
    line = trim(line.substr(2));
    if (line == "plugdb:begin") return Marker::Begin;
    if (line == "plugdb:end") return Marker::End;
    return Marker::None;
}

std::size_t lineNumber(std::string_view script, std::size_t i) {
    std::size_t line = 1;
    for (std::size_t k = 0; k < i; ++k) line += script[k] == '\n' ? 1 : 0;
    return line;
}

std::size_t nextLine(std::string_view script, std::size_t i) {
    const auto newline = script.find('\n', i);
    return newline == std::string_view::npos ? script.size() : newline + 1;
}

class StatementCollector {
public:
    void append(std::string_view text, bool code) {
        current_ += text;
        hasCode_ = hasCode_ || (code && !trim(text).empty());
    }
    void finish() {
        if (hasCode_) statements_.emplace_back(trim(current_));
        current_.clear();
        hasCode_ = false;
    }
    std::vector<std::string> take() { return std::move(statements_); }

private:
    std::string current_;
    bool hasCode_ = false;
    std::vector<std::string> statements_;
};

}  // namespace

std::size_t nonCodeEnd(std::string_view sql, std::size_t i) {
    return skipNonCode(sql, i).end;
}

Rewritten rewritePlaceholders(std::string_view sql, Dialect::Placeholders style) {
    Rewritten out;
    out.text.reserve(sql.size() + 16);
    std::size_t i = 0;
    while (i < sql.size()) {
        if (const Skipped skipped = skipNonCode(sql, i); skipped.end != i) {
            out.text += sql.substr(i, skipped.end - i);
            i = skipped.end;
        } else if (sql[i] != '?') {
            out.text += sql[i++];
        } else if (i + 1 < sql.size() && sql[i + 1] == '?') {
            out.text += '?';  // "??" is an escaped literal question mark
            i += 2;
        } else {
            ++out.parameterCount;
            if (style == Dialect::Placeholders::DollarNumber)
                out.text += "$" + std::to_string(out.parameterCount);
            else
                out.text += '?';
            ++i;
        }
    }
    return out;
}

std::vector<std::string> splitStatements(std::string_view script) {
    StatementCollector statements;
    std::size_t i = 0;
    while (i < script.size()) {
        if (script[i] == '-' && i + 1 < script.size() && script[i + 1] == '-') {
            const Marker marker = markerAt(script, i);
            if (marker == Marker::End)
                throw Error(ErrorCategory::Syntax, "'-- plugdb:end' on line " +
                                                       std::to_string(lineNumber(script, i)) +
                                                       " has no matching '-- plugdb:begin'");
            if (marker == Marker::Begin) {
                statements.finish();
                const std::size_t bodyStart = nextLine(script, i);
                std::size_t endLine = bodyStart;
                while (endLine < script.size()) {
                    std::size_t first = endLine;
                    while (first < script.size() && script[first] != '\n' && isSpace(script[first]))
                        ++first;
                    if (first < script.size() && markerAt(script, first) == Marker::End) break;
                    endLine = nextLine(script, endLine);
                }
                if (endLine >= script.size())
                    throw Error(ErrorCategory::Syntax, "'-- plugdb:begin' on line " +
                                                           std::to_string(lineNumber(script, i)) +
                                                           " has no matching '-- plugdb:end'");
                std::string_view body = trim(script.substr(bodyStart, endLine - bodyStart));
                // The block's own terminator, like the ';' that ends any other statement.
                while (body.ends_with(';')) body = trim(body.substr(0, body.size() - 1));
                statements.append(body, true);
                statements.finish();
                i = nextLine(script, endLine);
                continue;
            }
        }
        if (const Skipped skipped = skipNonCode(script, i); skipped.end != i) {
            statements.append(script.substr(i, skipped.end - i), !skipped.comment);
            i = skipped.end;
        } else if (script[i] == ';') {
            statements.finish();
            ++i;
        } else {
            statements.append(script.substr(i, 1), true);
            ++i;
        }
    }
    statements.finish();
    return statements.take();
}

std::string quoteIdentifier(std::string_view name, const Dialect& dialect) {
    if (name.empty()) throw Error(ErrorCategory::InvalidArgument, "an identifier cannot be empty");
    if (name.find('\0') != std::string_view::npos)
        throw Error(ErrorCategory::InvalidArgument, "an identifier cannot contain a NUL byte");
    const char quote = dialect.identifierQuote;
    std::string quoted;
    quoted.reserve(name.size() + 2);
    quoted += quote;
    for (const char c : name) {
        if (c == quote) quoted += quote;
        quoted += c;
    }
    quoted += quote;
    return quoted;
}

}  // namespace plugdb::sql
