#include <algorithm>
#include <cctype>
#include <charconv>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "commands.h"
#include "output.h"
#include "plugdb/database.h"
#include "plugdb/error.h"
#include "plugdb/input_file.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"
#include "plugdb/sql.h"
#include "statement_error.h"

namespace plugdb::host {
namespace {

// Thrown when the SQL file cannot be read: exit 66, not a usage or database error.
struct UnreadableInput : std::runtime_error {
    using std::runtime_error::runtime_error;
};

std::string readScript(const Invocation& inv) {
    std::string script;
    for (const auto& arg : inv.args) script += arg + ";\n";
    if (inv.file == "-" || (inv.file.empty() && inv.args.empty())) {
        std::ostringstream in;
        in << std::cin.rdbuf();
        script += in.str();
    } else if (!inv.file.empty()) {
        const int limit = settings::integer(inv.config, "limits.sql_file_bytes");
        try {
            script += readInputFile(inv.file, static_cast<std::size_t>(limit), "the SQL file",
                                    ErrorCategory::InvalidArgument);
        } catch (const Error& e) {
            throw UnreadableInput(e.what());
        }
    }
    return script;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) ==
               std::tolower(static_cast<unsigned char>(y));
    });
}

// Without a prefix a value is text exactly as typed ("007" stays "007"): the
// engine converts it where a column or operator needs a number. "null" is NULL;
// int:, double:, text:, bool: and ts: choose the type.
Value parseParam(const std::string& raw) {
    auto fail = [&](const std::string& type) -> Value {
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
        // The words the configuration accepts for booleans.
        const std::string_view b = std::string_view(raw).substr(5);
        for (const char* word : {"true", "yes", "on", "1"})
            if (equalsIgnoringCase(b, word)) return Value(true);
        for (const char* word : {"false", "no", "off", "0"})
            if (equalsIgnoringCase(b, word)) return Value(false);
        return fail("bool (true/false, yes/no, on/off or 1/0)");
    }
    if (raw.starts_with("ts:")) {
        if (auto ts = Timestamp::parse(raw.substr(3))) return Value(*ts);
        return fail("timestamp (YYYY-MM-DD HH:MM:SS[.ffffff][Z|+HH:MM])");
    }
    if (raw == "null" || raw == "NULL") return Value();
    return Value(raw);
}

std::string plural(std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// How many placeholders each statement has, checked against the --param
// values before anything runs: a mismatch must not leave earlier statements
// committed. Counted as core counts them ("??" is a literal "?").
std::vector<std::size_t> placeholderCounts(const std::vector<std::string>& statements,
                                           std::size_t given) {
    std::vector<std::size_t> counts;
    std::size_t total = 0;
    for (const auto& statement : statements) {
        counts.push_back(
            sql::rewritePlaceholders(statement, Dialect::Placeholders::Question).parameterCount);
        total += counts.back();
    }
    if (total < given)
        throw Error(ErrorCategory::InvalidArgument,
                    plural(given - total, "--param value") + " left over: the statements have " +
                        plural(total, "placeholder") + " for " + plural(given, "value") +
                        "; nothing was run");
    if (total > given) {
        std::size_t before = 0, n = 0;
        while (before + counts[n] <= given) before += counts[n++];
        throw Error(ErrorCategory::InvalidArgument,
                    "not enough --param values: statement " + std::to_string(n + 1) + " has " +
                        plural(counts[n], "placeholder") + " but " +
                        plural(given - before, "value") + (given - before == 1 ? " is" : " are") +
                        " left for it (" + plural(total, "placeholder") + " in all, " +
                        std::to_string(given) + " given); nothing was run");
    }
    return counts;
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

// --named NAME: one named query, each --param NAME=VALUE.
int runNamedSql(const Invocation& inv, Format format) {
    if (!inv.args.empty() || !inv.file.empty())
        throw Error(ErrorCategory::InvalidArgument,
                    "--named runs one named query: give no SQL and no --file with it");
    NamedParams params;
    for (const auto& raw : inv.params) {
        const auto eq = raw.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error(ErrorCategory::InvalidArgument,
                        "with --named, --param is NAME=VALUE, got '" + secrets::mask(raw) + "'");
        params.set(raw.substr(0, eq), parseParam(raw.substr(eq + 1)));
    }
    Database db = Database::open(oneShot(inv.config));
    Rows rows = db.named(inv.named, params);
    if (!rows.columns().empty())
        printRows(rows, format, std::cout);
    else
        printResult(rows.result(), format, std::cout);
    return kExitOk;
}

}  // namespace

int runSql(const Invocation& inv) {
    const Format format = parseFormat(inv.format);
    if (!inv.named.empty()) return runNamedSql(inv, format);
    std::string script;
    try {
        script = readScript(inv);
    } catch (const UnreadableInput& e) {
        std::cerr << "plugdb: " << secrets::mask(e.what()) << "\n";
        return kExitNoInput;
    }
    const std::vector<std::string> statements = sql::splitStatements(script);
    if (statements.empty()) throw Error(ErrorCategory::InvalidArgument, "no SQL statement given");
    std::vector<Value> params;
    params.reserve(inv.params.size());
    for (const auto& raw : inv.params) params.push_back(parseParam(raw));
    const std::vector<std::size_t> counts = placeholderCounts(statements, params.size());

    Database db = Database::open(oneShot(inv.config));
    // Hand out the parameters in order, each statement taking as many as it has placeholders.
    std::size_t nextParam = 0;
    for (std::size_t n = 0; n < statements.size(); ++n) {
        const std::string& statementText = statements[n];
        try {
            PreparedStatement statement = db.prepare(statementText);
            const std::size_t wanted = counts[n];
            std::vector<Value> bound(
                params.begin() + static_cast<std::ptrdiff_t>(nextParam),
                params.begin() + static_cast<std::ptrdiff_t>(nextParam + wanted));
            nextParam += wanted;
            Rows rows = statement.query(bound);
            if (!rows.columns().empty()) {
                printRows(rows, format, std::cout);
            } else {
                printResult(rows.result(), format, std::cout);
            }
        } catch (const Error& e) {
            if (statements.size() == 1) throw;
            throw inStatement(e, n + 1);
        }
    }
    return kExitOk;
}

}  // namespace plugdb::host
