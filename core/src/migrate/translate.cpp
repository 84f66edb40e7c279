// The portable DDL subset (migrations/README.md) translated with the SQL
// dialect the driver reports (sql_dialect.h). The translation works on tokens,
// so text inside strings and comments is never touched; whatever it does not
// recognise passes through unchanged.
#include <cctype>
#include <string>
#include <vector>

#include "plugdb/migrate.h"

namespace plugdb::migrate {
namespace {

enum class Kind { Word, Quoted, String, Space, Punct };

struct Token {
    Kind kind;
    std::string text;
    bool is(std::string_view word) const {
        if (kind != Kind::Word || text.size() != word.size()) return false;
        for (std::size_t i = 0; i < word.size(); ++i)
            if (std::toupper(static_cast<unsigned char>(text[i])) != word[i]) return false;
        return true;
    }
    // The identifier's name without its quotes.
    std::string name() const {
        if (kind != Kind::Quoted) return text;
        std::string out;
        for (std::size_t i = 1; i + 1 < text.size(); ++i) {
            out += text[i];
            if (text[i] == text[0] && i + 2 < text.size()) ++i;  // doubled quote
        }
        return out;
    }
};

bool wordChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$';
}

std::size_t quotedEnd(std::string_view text, std::size_t open) {
    const char quote = text[open];
    std::size_t i = open + 1;
    while (i < text.size()) {
        if (text[i] == quote) {
            if (i + 1 < text.size() && text[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return text.size();
}

std::vector<Token> tokenize(std::string_view text) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        std::size_t end = i + 1;
        Kind kind = Kind::Punct;
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            while (end < text.size() && std::isspace(static_cast<unsigned char>(text[end])) != 0)
                ++end;
            kind = Kind::Space;
        } else if (c == '-' && i + 1 < text.size() && text[i + 1] == '-') {
            end = text.find('\n', i);
            end = end == std::string_view::npos ? text.size() : end;
            kind = Kind::Space;
        } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
            end = text.find("*/", i + 2);
            end = end == std::string_view::npos ? text.size() : end + 2;
            kind = Kind::Space;
        } else if (c == '\'') {
            end = quotedEnd(text, i);
            kind = Kind::String;
        } else if (c == '"' || c == '`') {
            end = quotedEnd(text, i);
            kind = Kind::Quoted;
        } else if (wordChar(c)) {
            while (end < text.size() && wordChar(text[end])) ++end;
            kind = Kind::Word;
        }
        tokens.push_back({kind, std::string(text.substr(i, end - i))});
        i = end;
    }
    return tokens;
}

class Translator {
public:
    Translator(std::vector<Token> tokens, const SqlDialect& dialect, char quote)
        : tokens_(std::move(tokens)), dialect_(dialect), quote_(quote) {}

    std::string run() {
        const std::size_t first = nextCode(0);
        const bool createTable = at(first).is("CREATE") && at(nextCode(first + 1)).is("TABLE");
        const bool alterTable = at(first).is("ALTER") && at(nextCode(first + 1)).is("TABLE");
        const bool dropIndex = at(first).is("DROP") && at(nextCode(first + 1)).is("INDEX");
        if (createTable || alterTable) table_ = tableName(nextCode(first + 1));

        std::string out;
        int depth = 0;
        for (std::size_t i = 0; i < tokens_.size(); ++i) {
            const Token& token = tokens_[i];
            if (token.kind == Kind::Punct && token.text == "(") ++depth;
            if (token.kind == Kind::Punct && token.text == ")") {
                --depth;
                if (createTable && depth == 0 && !dialect_.createTableSuffix.empty() &&
                    nextCode(i + 1) >= tokens_.size()) {
                    out += ")" + dialect_.createTableSuffix;
                    continue;
                }
            }
            if (token.kind == Kind::Quoted && token.text[0] == '"' && quote_ != '"') {
                out += quoted(token.name());
                continue;
            }
            if (token.kind != Kind::Word) {
                out += token.text;
                continue;
            }
            if (std::size_t end = autoIncrementEnd(i); end && !dialect_.autoIncrementKey.empty()) {
                out += dialect_.autoIncrementKey;
                i = end - 1;
                continue;
            }
            // A type word, unless it starts a typed literal (TIMESTAMP '2024-01-02 ...').
            if (const std::string* spelling = typeSpelling(token);
                spelling && !spelling->empty() && at(nextCode(i + 1)).kind != Kind::String &&
                isTypePosition(i) && !autoIncrementEnd(i)) {
                out += *spelling;
                continue;
            }
            if (token.is("CURRENT_TIMESTAMP") && !dialect_.currentTimestamp.empty() &&
                !(at(nextCode(i + 1)).kind == Kind::Punct && at(nextCode(i + 1)).text == "(")) {
                out += dialect_.currentTimestamp;
                continue;
            }
            if (token.is("FOREIGN") && at(nextCode(i + 1)).is("KEY") && !table_.empty() &&
                !namedConstraint(i)) {
                out += "CONSTRAINT " + quoted(foreignKeyName(i)) + " ";
                out += token.text;
                continue;
            }
            if (dropIndex && token.is("ON") && !dialect_.dropIndexNamesTable) {
                // DROP INDEX name ON table: the table is for MySQL only.
                while (!out.empty() && std::isspace(static_cast<unsigned char>(out.back())))
                    out.pop_back();
                for (std::size_t k = nextCode(i + 1); k < tokens_.size(); ++k)
                    if (tokens_[k].kind == Kind::Word || tokens_[k].kind == Kind::Quoted ||
                        (tokens_[k].kind == Kind::Punct && tokens_[k].text == ".")) {
                        i = k;
                    } else if (tokens_[k].kind != Kind::Space) {
                        break;
                    }
                continue;
            }
            out += token.text;
        }
        return out;
    }

private:
    const Token& at(std::size_t i) const {
        static const Token kEnd{Kind::Space, ""};
        return i < tokens_.size() ? tokens_[i] : kEnd;
    }

    std::size_t nextCode(std::size_t i) const {
        while (i < tokens_.size() && tokens_[i].kind == Kind::Space) ++i;
        return i;
    }

    std::size_t previousCode(std::size_t i) const {
        while (i > 0) {
            --i;
            if (tokens_[i].kind != Kind::Space) return i;
        }
        return tokens_.size();
    }

    // The table name after CREATE TABLE [IF NOT EXISTS] / ALTER TABLE.
    std::string tableName(std::size_t tableKeyword) const {
        std::size_t i = nextCode(tableKeyword + 1);
        if (at(i).is("IF")) {
            i = nextCode(i + 1);
            if (at(i).is("NOT")) i = nextCode(i + 1);
            if (at(i).is("EXISTS")) i = nextCode(i + 1);
        }
        std::string name = at(i).name();
        // schema.table: the constraint name uses the table part.
        while (at(nextCode(i + 1)).text == ".") {
            i = nextCode(nextCode(i + 1) + 1);
            name = at(i).name();
        }
        return name;
    }

    // A type follows a column name: the previous code token is an identifier.
    bool isTypePosition(std::size_t i) const {
        const Token& previous = at(previousCode(i));
        if (previous.kind == Kind::Quoted) return true;
        if (previous.kind != Kind::Word) return false;
        for (const char* keyword : {"DEFAULT", "AS", "ON", "SET", "WITH", "WITHOUT", "AND", "OR",
                                    "THEN", "ELSE", "WHEN", "NOT", "NULL", "TYPE"})
            if (previous.is(keyword)) return previous.is("TYPE");  // ALTER ... TYPE TIMESTAMP
        return true;
    }

    // INTEGER PRIMARY KEY AUTOINCREMENT: the index after it, or 0.
    std::size_t autoIncrementEnd(std::size_t i) const {
        if (!tokens_[i].is("INTEGER")) return 0;
        std::size_t k = nextCode(i + 1);
        for (const char* word : {"PRIMARY", "KEY", "AUTOINCREMENT"}) {
            if (!at(k).is(word)) return 0;
            k = nextCode(k + 1);
        }
        // Up to the end of AUTOINCREMENT, keeping what follows.
        std::size_t end = i + 1;
        for (int seen = 0; seen < 3; ++end)
            if (tokens_[end].kind == Kind::Word) ++seen;
        return end;
    }

    // The dialect's spelling of a portable type word, or nullptr for other words.
    const std::string* typeSpelling(const Token& token) const {
        const SqlDialect::Types& types = dialect_.types;
        for (const auto& [word, spelling] :
             {std::pair<const char*, const std::string*>{"INTEGER", &types.integer},
              {"BIGINT", &types.bigint},
              {"TEXT", &types.text},
              {"BOOLEAN", &types.boolean},
              {"TIMESTAMP", &types.timestamp},
              {"BLOB", &types.blob}})
            if (token.is(word)) return spelling;
        return nullptr;
    }

    // FOREIGN preceded by CONSTRAINT name.
    bool namedConstraint(std::size_t i) const {
        const std::size_t name = previousCode(i);
        return name < tokens_.size() && at(previousCode(name)).is("CONSTRAINT");
    }

    // fk_<table>_<columns>, at most 63 characters (PostgreSQL's limit).
    std::string foreignKeyName(std::size_t foreign) const {
        std::string name = "fk_" + table_;
        std::size_t i = nextCode(nextCode(foreign + 1) + 1);
        if (at(i).text == "(") {
            for (i = nextCode(i + 1); i < tokens_.size() && at(i).text != ")"; i = nextCode(i + 1))
                if (at(i).kind == Kind::Word || at(i).kind == Kind::Quoted)
                    name += "_" + at(i).name();
        }
        return name.substr(0, 63);
    }

    // The name in the dialect's identifier quotes, a quote inside doubled.
    std::string quoted(const std::string& name) const {
        std::string out(1, quote_);
        for (char c : name) {
            if (c == quote_) out += quote_;
            out += c;
        }
        return out + quote_;
    }

    std::vector<Token> tokens_;
    const SqlDialect& dialect_;
    char quote_;
    std::string table_;
};

}  // namespace

std::string translate(std::string_view statement, const Target& target) {
    if (!target.sql) return std::string(statement);
    return Translator(tokenize(statement), *target.sql, target.identifierQuote).run();
}

}  // namespace plugdb::migrate
