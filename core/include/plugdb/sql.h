// Engine-neutral SQL text helpers used by core and by the host.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plugdb/driver.h"

namespace plugdb::sql {

struct Rewritten {
    std::string text;
    std::size_t parameterCount = 0;
};

// Rewrites portable "?" placeholders to the dialect's style, skipping string
// literals, quoted identifiers, comments and dollar-quoted bodies; "??" becomes "?".
Rewritten rewritePlaceholders(std::string_view sql, Dialect::Placeholders style);

// Where the string literal, quoted identifier, comment or dollar-quoted body
// starting at sql[i] ends, or i when none starts there: the pieces
// rewritePlaceholders leaves alone (named queries skip the same ones).
std::size_t nonCodeEnd(std::string_view sql, std::size_t i);

// Splits a script into statements at top-level semicolons (not inside strings,
// identifiers, comments or dollar-quoted bodies), each trimmed of surrounding
// whitespace. Statements holding only comments or whitespace are dropped.
// The lines between a line "-- plugdb:begin" and a line "-- plugdb:end"
// (each alone on its line) are one statement whatever semicolons they hold,
// without trailing ';' (for procedure and trigger bodies). Throws plugdb::Error
// (syntax) naming the line when a begin has no end or an end no begin.
std::vector<std::string> splitStatements(std::string_view script);

// Quotes an identifier for the dialect, doubling embedded quote characters.
// Throws plugdb::Error (invalid_argument) for an empty name or one holding a
// NUL byte.
std::string quoteIdentifier(std::string_view name, const Dialect& dialect);

}  // namespace plugdb::sql
