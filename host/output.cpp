#include "output.h"

#include <cmath>
#include <cstdio>

#include "plugdb/error.h"
#include "utf8_text.h"

namespace plugdb::host {
namespace {

// Characters that would break a table line or reorder what is shown after them.
bool needsEscape(char32_t cp) {
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

// One line of text for a table cell: \n, \t, \r and \uXXXX for control
// characters; backslashes doubled when escapes must read unambiguously.
std::string escapeForTable(std::string_view text, bool doubleBackslashes) {
    std::string out;
    out.reserve(text.size());
    utf8::forEachCodePoint(text, [&](char32_t cp, std::string_view bytes) {
        if (cp == '\n') {
            out += "\\n";
        } else if (cp == '\t') {
            out += "\\t";
        } else if (cp == '\r') {
            out += "\\r";
        } else if (cp == '\\' && doubleBackslashes) {
            out += "\\\\";
        } else if (needsEscape(cp)) {
            char buf[12];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
            out += buf;
        } else {
            out.append(bytes);
        }
    });
    return out;
}

// "2024-01-31 12:00:00.5": UTC, fraction only when there is one, without
// trailing zeros, and no zone suffix (the value model does not say whether the
// engine's type had a zone; see README "How values are printed").
std::string timestampText(const Timestamp& ts) {
    std::string text = ts.toString();  // "2024-01-31 12:00:00.500000Z"
    if (!text.empty() && text.back() == 'Z') text.pop_back();
    const auto dot = text.rfind('.');
    if (dot != std::string::npos) {
        const auto last = text.find_last_not_of('0');
        text.erase(last == dot ? dot : last + 1);
    }
    return text;
}

std::string hex(const Blob& blob) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(blob.size() * 2);
    for (std::uint8_t byte : blob) {
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
    }
    return out;
}

// The value as CSV field content (NULL handled by the caller).
std::string plainText(const Value& value) {
    switch (value.type()) {
        case Type::Text:
            return utf8::valid(value.asText());
        case Type::Timestamp:
            return timestampText(value.asTimestamp());
        default:
            return value.toString();  // numbers, true/false, \x hex for blobs
    }
}

// Header and rows of ready cells, aligned by display width.
void printAligned(const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) widths[i] = utf8::displayWidth(header[i]);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], utf8::displayWidth(row[i]));
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) text += " | ";
            text += cells[i];
            if (i + 1 < cells.size() && i < widths.size())
                text.append(widths[i] - utf8::displayWidth(cells[i]), ' ');
        }
        out << text << "\n";
    };
    line(header);
    std::string rule;
    for (std::size_t i = 0; i < widths.size(); ++i) {
        if (i > 0) rule += "-+-";
        rule.append(widths[i], '-');
    }
    out << rule << "\n";
    for (const auto& row : rows) line(row);
}

std::vector<std::string> escapedCells(const std::vector<std::string>& cells) {
    std::vector<std::string> out;
    out.reserve(cells.size());
    for (const auto& cell : cells) out.push_back(escapeForTable(cell, false));
    return out;
}

}  // namespace

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

Format parseFormat(const std::string& name, bool allowCsv) {
    if (name == "table") return Format::Table;
    if (name == "json") return Format::Json;
    if (name == "csv" && allowCsv) return Format::Csv;
    const std::string formats = allowCsv ? "table, csv or json" : "table or json";
    throw Error(ErrorCategory::InvalidArgument,
                "--format must be " + formats + ", not '" + name + "'");
}

std::string jsonString(std::string_view text) {
    std::string out = "\"";
    out.reserve(text.size() + 2);
    utf8::forEachCodePoint(text, [&](char32_t cp, std::string_view bytes) {
        switch (cp) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (cp < 0x20) {
                    // Room for any unsigned value, so the compiler can prove no truncation.
                    char buf[16];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
                    out += buf;
                } else {
                    out.append(bytes);
                }
        }
    });
    return out + "\"";
}

std::string jsonValue(const Value& value) {
    switch (value.type()) {
        case Type::Null:
            return "null";
        case Type::Bool:
        case Type::Int:
            return value.toString();
        case Type::Double:
            // JSON has no NaN or infinity; print them as strings rather than invalid JSON.
            return std::isfinite(value.asDouble()) ? value.toString()
                                                   : jsonString(value.toString());
        case Type::Blob:
            // Tagged, so a blob never reads as text.
            return "{\"$blob\":\"" + hex(value.asBlob()) + "\"}";
        case Type::Timestamp:
            return jsonString(timestampText(value.asTimestamp()));
        case Type::Text:
            break;
    }
    return jsonString(value.asText());
}

std::string tableCell(const Value& value) {
    switch (value.type()) {
        case Type::Null:
            return "NULL";
        case Type::Text: {
            const std::string& text = value.asText();
            std::string cell = escapeForTable(text, true);
            // Text that reads as the NULL marker or starts like a quoted cell is quoted.
            if (text != "NULL" && !text.starts_with('"')) return cell;
            std::string quoted = "\"";
            for (char c : cell) {
                if (c == '"') quoted += '\\';
                quoted += c;
            }
            return quoted + "\"";
        }
        case Type::Timestamp:
            return timestampText(value.asTimestamp());
        default:
            return value.toString();  // numbers, true/false, \x hex for blobs
    }
}

void printTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
    std::vector<std::vector<std::string>> cells;
    cells.reserve(rows.size());
    for (const auto& row : rows) cells.push_back(escapedCells(row));
    printAligned(escapedCells(header), cells, out);
}

std::size_t printRows(Rows& rows, Format format, std::ostream& out) {
    const auto& columns = rows.columns();
    std::size_t count = 0;
    switch (format) {
        case Format::Table: {
            std::vector<std::string> header;
            for (const auto& column : columns) header.push_back(column.name);
            std::vector<std::vector<std::string>> cells;
            while (rows.next()) {
                std::vector<std::string> row;
                for (std::size_t i = 0; i < columns.size(); ++i)
                    row.push_back(tableCell(rows.value(i)));
                cells.push_back(std::move(row));
            }
            printAligned(escapedCells(header), cells, out);
            count = cells.size();
            out << "(" << count << (count == 1 ? " row)" : " rows)") << "\n";
            break;
        }
        case Format::Csv: {
            // The header waits for the first row: a statement failing at once prints nothing.
            bool more = rows.next();
            for (std::size_t i = 0; i < columns.size(); ++i)
                out << (i ? "," : "") << csvField(utf8::valid(columns[i].name));
            out << "\r\n";
            for (; more; more = rows.next()) {
                for (std::size_t i = 0; i < columns.size(); ++i) {
                    const Value v = rows.value(i);
                    // NULL is an empty field; an empty string is quoted so the two differ.
                    const std::string field = v.isNull() ? ""
                                              : v.type() == Type::Text && v.asText().empty()
                                                  ? "\"\""
                                                  : csvField(plainText(v));
                    out << (i ? "," : "") << field;
                }
                out << "\r\n";
                ++count;
            }
            break;
        }
        case Format::Json: {
            // Held until the last row was read: the output is a whole array or nothing.
            std::string body = "[";
            while (rows.next()) {
                body += count ? ",\n {" : "\n {";
                for (std::size_t i = 0; i < columns.size(); ++i) {
                    if (i) body += ',';
                    body += jsonString(columns[i].name);
                    body += ':';
                    body += jsonValue(rows.value(i));
                }
                body += '}';
                ++count;
            }
            body += count ? "\n]\n" : "]\n";
            out << body;
            break;
        }
    }
    return count;
}

}  // namespace plugdb::host
