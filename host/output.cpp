#include "output.h"

#include <cmath>
#include <cstdio>

#include "plugdb/error.h"

namespace plugdb::host {
namespace {

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// Display width in code points, so UTF-8 text aligns.
std::size_t displayWidth(const std::string& text) {
    std::size_t width = 0;
    for (unsigned char c : text)
        if ((c & 0xC0) != 0x80) ++width;
    return width;
}

}  // namespace

Format parseFormat(const std::string& name, bool allowCsv) {
    if (name == "table") return Format::Table;
    if (name == "json") return Format::Json;
    if (name == "csv" && allowCsv) return Format::Csv;
    throw Error(ErrorCategory::InvalidArgument, "--format must be table, " +
                                                    std::string(allowCsv ? "csv " : "") +
                                                    "or json, not '" + name + "'");
}

std::string jsonString(std::string_view text) {
    std::string out = "\"";
    for (unsigned char c : text) {
        switch (c) {
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
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
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
        default:
            return jsonString(value.toString());
    }
}

void printTable(const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
    std::vector<std::size_t> widths(header.size());
    for (std::size_t i = 0; i < header.size(); ++i) widths[i] = displayWidth(header[i]);
    for (const auto& row : rows)
        for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], displayWidth(row[i]));
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0) text += " | ";
            text += cells[i];
            if (i + 1 < cells.size()) text.append(widths[i] - displayWidth(cells[i]), ' ');
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
                    row.push_back(rows.value(i).toString());
                cells.push_back(std::move(row));
            }
            printTable(header, cells, out);
            count = cells.size();
            out << "(" << count << (count == 1 ? " row)" : " rows)") << "\n";
            break;
        }
        case Format::Csv: {
            for (std::size_t i = 0; i < columns.size(); ++i)
                out << (i ? "," : "") << csvField(columns[i].name);
            out << "\r\n";
            while (rows.next()) {
                for (std::size_t i = 0; i < columns.size(); ++i) {
                    const Value v = rows.value(i);
                    // NULL is an empty field; an empty string is quoted so the two differ.
                    const std::string field = v.isNull() ? ""
                                              : v.type() == Type::Text && v.asText().empty()
                                                  ? "\"\""
                                                  : csvField(v.toString());
                    out << (i ? "," : "") << field;
                }
                out << "\r\n";
                ++count;
            }
            break;
        }
        case Format::Json: {
            out << "[";
            while (rows.next()) {
                out << (count ? ",\n " : "\n ") << "{";
                for (std::size_t i = 0; i < columns.size(); ++i)
                    out << (i ? "," : "") << jsonString(columns[i].name) << ":"
                        << jsonValue(rows.value(i));
                out << "}";
                ++count;
            }
            out << (count ? "\n]\n" : "]\n");
            break;
        }
    }
    return count;
}

}  // namespace plugdb::host
