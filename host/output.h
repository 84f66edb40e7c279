// Printing results as an aligned table, CSV (RFC 4180) or JSON.
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

std::string jsonString(std::string_view text);
std::string jsonValue(const Value& value);

// Prints all rows; returns how many there were.
std::size_t printRows(Rows& rows, Format format, std::ostream& out);

// Prints a small table of strings (header + rows) with aligned columns.
void printTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out);

}  // namespace plugdb::host
