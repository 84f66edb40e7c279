#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "output.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/sql.h"

namespace plugdb::host {
namespace {

std::string readScript(const Invocation& inv) {
    std::string script;
    for (const auto& arg : inv.args) script += arg + ";\n";
    if (inv.file == "-" || (inv.file.empty() && inv.args.empty())) {
        std::ostringstream in;
        in << std::cin.rdbuf();
        script += in.str();
    } else if (!inv.file.empty()) {
        std::ifstream in(inv.file, std::ios::binary);
        if (!in) throw std::ios_base::failure("cannot read " + inv.file);
        std::ostringstream content;
        content << in.rdbuf();
        script += content.str();
    }
    return script;
}

// "42" -> int, "4.2" -> double, "null" -> NULL, otherwise text; a type prefix
// (int:, double:, text:, bool:, ts:) says it explicitly.
Value parseParam(const std::string& raw) {
    auto fail = [&](const char* type) -> Value {
        throw Error(ErrorCategory::InvalidArgument, "--param '" + raw + "' is not a valid " + type);
    };
    auto asInt = [](std::string_view s, std::int64_t& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
    };
    auto asDouble = [](std::string_view s, double& out) {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        return ec == std::errc{} && p == s.data() + s.size() && !s.empty();
    };
    std::int64_t i = 0;
    double d = 0;
    if (raw.starts_with("text:")) return Value(raw.substr(5));
    if (raw.starts_with("int:")) return asInt(raw.substr(4), i) ? Value(i) : fail("int");
    if (raw.starts_with("double:")) return asDouble(raw.substr(7), d) ? Value(d) : fail("double");
    if (raw.starts_with("bool:")) {
        const std::string b = raw.substr(5);
        if (b == "true" || b == "1") return Value(true);
        if (b == "false" || b == "0") return Value(false);
        return fail("bool");
    }
    if (raw.starts_with("ts:")) {
        if (auto ts = Timestamp::parse(raw.substr(3))) return Value(*ts);
        return fail("timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][Z|+HH:MM])");
    }
    if (raw == "null" || raw == "NULL") return Value();
    if (asInt(raw, i)) return Value(i);
    if (raw.find_first_of(".eE") != std::string::npos && asDouble(raw, d)) return Value(d);
    return Value(raw);
}

void printResult(const Result& result, Format format, std::ostream& out) {
    if (format == Format::Json) {
        out << "{\"rows_affected\":" << result.rowsAffected;
        if (result.lastInsertId) out << ",\"last_insert_id\":" << *result.lastInsertId;
        out << "}\n";
    } else if (format == Format::Table) {
        out << "OK, " << result.rowsAffected
            << (result.rowsAffected == 1 ? " row affected\n" : " rows affected\n");
    }
}

}  // namespace

int runSql(const Invocation& inv) {
    const Format format = parseFormat(inv.format);
    std::string script;
    try {
        script = readScript(inv);
    } catch (const std::ios_base::failure& e) {
        std::cerr << "plugdb: " << e.what() << "\n";
        return kExitNoInput;
    }
    const std::vector<std::string> statements = sql::splitStatements(script);
    if (statements.empty()) throw Error(ErrorCategory::InvalidArgument, "no SQL statement given");
    std::vector<Value> params;
    for (const auto& raw : inv.params) params.push_back(parseParam(raw));

    Database db = Database::open(oneShot(inv.config));
    // Hand out the parameters in order, each statement taking as many as it has placeholders.
    std::size_t nextParam = 0;
    for (std::size_t n = 0; n < statements.size(); ++n) {
        const std::string& statementText = statements[n];
        try {
            PreparedStatement statement = db.prepare(statementText);
            const std::size_t wanted = statement.parameterCount();
            if (nextParam + wanted > params.size())
                throw Error(ErrorCategory::InvalidArgument,
                            "not enough --param values: statement " + std::to_string(n + 1) +
                                " needs " + std::to_string(wanted) + " more");
            std::vector<Value> bound(params.begin() + nextParam,
                                     params.begin() + nextParam + wanted);
            nextParam += wanted;
            Rows rows = statement.query(bound);
            if (!rows.columns().empty()) {
                printRows(rows, format, std::cout);
            } else {
                printResult(rows.result(), format, std::cout);
            }
        } catch (const Error& e) {
            if (statements.size() == 1) throw;
            throw Error(e.category(), "statement " + std::to_string(n + 1) + ": " + e.what(),
                        {e.engine(), e.nativeCode(), e.sqlState()});
        }
    }
    if (nextParam < params.size())
        throw Error(ErrorCategory::InvalidArgument,
                    std::to_string(params.size() - nextParam) +
                        " --param value(s) left over: the statements have only " +
                        std::to_string(nextParam) + " placeholder(s)");
    return kExitOk;
}

}  // namespace plugdb::host
