// Printing results as an aligned table, CSV (RFC 4180) or JSON, with one
// rendering per value type on every engine (README: "How values are printed").
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "plugdb/database.h"

namespace plugdb::host {

enum class Format { Table, Csv, Json };

// Throws plugdb::Error (invalid_argument) for an unknown name.
Format parseFormat(const std::string& name, bool allowCsv = true);

// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line break.
std::string csvField(const std::string& text);
// A JSON string; ill-formed UTF-8 becomes U+FFFD, so the result is always valid JSON.
std::string jsonString(std::string_view text);
// NULL is null, booleans and numbers are literals, a blob is {"$blob":"<hex>"},
// everything else a string as in the table.
std::string jsonValue(const Value& value);
// How a value reads in a table cell: NULL is NULL, text that could be read as
// something else is quoted, control characters and backslashes are escaped.
std::string tableCell(const Value& value);

// Prints all rows; returns how many there were. JSON is written only once the
// last row was read, so a statement that fails prints nothing; CSV writes its
// header once the first row (or the end) was read, then streams.
std::size_t printRows(Rows& rows, Format format, std::ostream& out);

// Prints a small table of strings (header + rows) with columns aligned by
// display width; control characters in cells are escaped.
void printTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out);

}  // namespace plugdb::host
