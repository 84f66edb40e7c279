#include "kv_bytes.h"

#include <array>

#include "output.h"
#include "plugdb/error.h"
#include "utf8_text.h"

namespace plugdb::host::kv {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// 0-63, or -1 for a byte outside the alphabet.
const std::array<int, 256>& base64Values() {
    static const std::array<int, 256> kValues = [] {
        std::array<int, 256> values{};
        values.fill(-1);
        for (int i = 0; i < 64; ++i) values[static_cast<unsigned char>(kBase64Digits[i])] = i;
        return values;
    }();
    return kValues;
}

bool isValidUtf8(std::string_view bytes) {
    return utf8::valid(bytes) == bytes;
}

// Code points that would break a line or reorder what follows them on a terminal.
bool isPrintable(char32_t cp) {
    return !(cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
             (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069));
}

bool startsLikeAnEscape(std::string_view bytes) {
    return bytes.starts_with("hex:") || bytes.starts_with("base64:") || bytes.starts_with("text:");
}

}  // namespace

std::string toHex(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size() * 2);
    for (char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out += kHexDigits[byte >> 4];
        out += kHexDigits[byte & 0xf];
    }
    return out;
}

std::string toBase64(std::string_view bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 |
                           static_cast<unsigned char>(bytes[i + 1]) << 8 |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += kBase64Digits[n >> 18];
        out += kBase64Digits[(n >> 12) & 63];
        out += kBase64Digits[(n >> 6) & 63];
        out += kBase64Digits[n & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
        if (rest == 2) n |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += kBase64Digits[n >> 18];
        out += kBase64Digits[(n >> 12) & 63];
        out += rest == 2 ? kBase64Digits[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::optional<std::string> fromHex(std::string_view text) {
    if (text.size() % 2 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 2);
    for (std::size_t i = 0; i < text.size(); i += 2) {
        const int high = hexValue(text[i]), low = hexValue(text[i + 1]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high << 4 | low);
    }
    return out;
}

std::optional<std::string> fromBase64(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    const auto& values = base64Values();
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const std::size_t padding = !last ? 0 : text[i + 3] != '=' ? 0 : text[i + 2] != '=' ? 1 : 2;
        unsigned n = 0;
        for (std::size_t j = 0; j < 4 - padding; ++j) {
            const int v = values[static_cast<unsigned char>(text[i + j])];
            if (v < 0) return std::nullopt;
            n |= static_cast<unsigned>(v) << (18 - 6 * j);
        }
        // Canonical only: the bits below the last byte are zero, so one text means one value.
        if ((padding == 1 && (n & 0xff) != 0) || (padding == 2 && (n & 0xffff) != 0))
            return std::nullopt;
        out += static_cast<char>(n >> 16);
        if (padding < 2) out += static_cast<char>((n >> 8) & 0xff);
        if (padding < 1) out += static_cast<char>(n & 0xff);
    }
    return out;
}

std::string parseArgument(std::string_view argument, std::string_view what) {
    auto fail = [&](const char* form) -> std::string {
        throw Error(ErrorCategory::InvalidArgument,
                    std::string(what) + " '" + std::string(argument) + "' is not valid " + form);
    };
    if (argument.starts_with("text:")) return std::string(argument.substr(5));
    if (argument.starts_with("hex:")) {
        auto bytes = fromHex(argument.substr(4));
        return bytes ? *bytes : fail("hex (pairs of 0-9, a-f)");
    }
    if (argument.starts_with("base64:")) {
        auto bytes = fromBase64(argument.substr(7));
        return bytes ? *bytes : fail("base64 (A-Z, a-z, 0-9, +, / with = padding)");
    }
    return std::string(argument);
}

std::string display(std::string_view bytes) {
    bool printable = isValidUtf8(bytes) && !startsLikeAnEscape(bytes);
    if (printable)
        utf8::forEachCodePoint(bytes, [&](char32_t cp, std::string_view) {
            if (!isPrintable(cp)) printable = false;
        });
    return printable ? std::string(bytes) : "hex:" + toHex(bytes);
}

std::string jsonField(std::string_view name, std::string_view bytes) {
    if (isValidUtf8(bytes)) return jsonString(name) + ":" + jsonString(bytes);
    return jsonString(std::string(name) + "_base64") + ":\"" + toBase64(bytes) + "\"";
}

}  // namespace plugdb::host::kv
