// The portable DDL subset (migrations/README.md) translated per engine. The
// translation works on tokens, so text inside strings and comments is never
// touched; whatever it does not recognise passes through unchanged.
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

enum class Engine { Sqlite, Postgres, Mysql, Other };

Engine engineFor(const std::string& driver) {
    if (driver == "sqlite") return Engine::Sqlite;
    if (driver == "postgres" || driver == "cockroach") return Engine::Postgres;
    if (driver == "mysql") return Engine::Mysql;
    return Engine::Other;
}

class Translator {
public:
    Translator(std::vector<Token> tokens, Engine engine)
        : tokens_(std::move(tokens)), engine_(engine) {}

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
                if (createTable && depth == 0 && engine_ == Engine::Mysql &&
                    nextCode(i + 1) >= tokens_.size()) {
                    out += ") DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
                    continue;
                }
            }
            if (token.kind == Kind::Quoted && engine_ == Engine::Mysql && token.text[0] == '"') {
                out += backticked(token.name());
                continue;
            }
            if (token.kind != Kind::Word) {
                out += token.text;
                continue;
            }
            if (std::size_t end = autoIncrementEnd(i)) {
                out += autoIncrementKey();
                i = end - 1;
                continue;
            }
            if (token.is("TIMESTAMP") && at(nextCode(i + 1)).kind != Kind::String &&
                isTypePosition(i)) {
                out += timestampType();
                continue;
            }
            if (token.is("CURRENT_TIMESTAMP") && engine_ == Engine::Mysql &&
                !(at(nextCode(i + 1)).kind == Kind::Punct && at(nextCode(i + 1)).text == "(")) {
                out += "CURRENT_TIMESTAMP(6)";
                continue;
            }
            if (token.is("BLOB") && engine_ == Engine::Postgres && isTypePosition(i)) {
                out += "BYTEA";
                continue;
            }
            if (token.is("FOREIGN") && at(nextCode(i + 1)).is("KEY") && !table_.empty() &&
                !namedConstraint(i)) {
                out += "CONSTRAINT " + quoted(foreignKeyName(i)) + " ";
                out += token.text;
                continue;
            }
            if (dropIndex && token.is("ON") && engine_ != Engine::Mysql &&
                engine_ != Engine::Other) {
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

    std::string autoIncrementKey() const {
        switch (engine_) {
            case Engine::Postgres:
                return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
            case Engine::Mysql:
                return "BIGINT AUTO_INCREMENT PRIMARY KEY";
            default:
                return "INTEGER PRIMARY KEY AUTOINCREMENT";
        }
    }

    std::string timestampType() const {
        switch (engine_) {
            case Engine::Postgres:
                return "TIMESTAMP(6) WITH TIME ZONE";
            case Engine::Mysql:
                return "DATETIME(6)";
            default:
                return "TIMESTAMP";
        }
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

    std::string quoted(const std::string& name) const {
        return engine_ == Engine::Mysql ? backticked(name) : "\"" + name + "\"";
    }

    static std::string backticked(const std::string& name) {
        std::string out = "`";
        for (char c : name) {
            if (c == '`') out += '`';
            out += c;
        }
        return out + "`";
    }

    std::vector<Token> tokens_;
    Engine engine_;
    std::string table_;
};

}  // namespace

std::string translate(std::string_view statement, const std::string& driver) {
    const Engine engine = engineFor(driver);
    if (engine == Engine::Other) return std::string(statement);
    return Translator(tokenize(statement), engine).run();
}

}  // namespace plugdb::migrate
