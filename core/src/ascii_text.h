// Private to core: ASCII case and whitespace helpers for configuration keys
// and values (locale-independent, so "DB.URL" reads the same everywhere).
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace plugdb::ascii {

inline std::string lowerCase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

inline std::string_view trim(std::string_view text) {
    const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    return text;
}

inline bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

}  // namespace plugdb::ascii
