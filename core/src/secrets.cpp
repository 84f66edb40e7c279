#include "plugdb/secrets.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <set>

namespace plugdb::secrets {
namespace {

// Shorter secrets would mask ordinary words and digits everywhere; they are
// still hidden where they appear in a recognisable position (URL, key=value).
constexpr std::size_t kMinRememberedLength = 3;

// Longest first, so a secret that contains another is replaced whole.
struct LongestFirst {
    bool operator()(const std::string& a, const std::string& b) const {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    }
};

struct Remembered {
    std::mutex mutex;
    std::set<std::string, LongestFirst> secrets;
};

// Never destroyed: logging during static destruction may still mask.
Remembered& remembered() {
    static auto* instance = new Remembered;
    return *instance;
}

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

bool isSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool isKeyChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

bool isSchemeChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
}

std::string replaceRemembered(std::string_view text) {
    std::string out(text);
    Remembered& store = remembered();
    std::lock_guard lock(store.mutex);
    for (const std::string& secret : store.secrets) {
        for (auto at = out.find(secret); at != std::string::npos;
             at = out.find(secret, at + std::char_traits<char>::length(kMask))) {
            out.replace(at, secret.size(), kMask);
        }
    }
    return out;
}

// scheme://user:password@host -> scheme://user:****@host
std::string maskUrlPasswords(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    std::size_t copied = 0;
    for (auto sep = text.find("://"); sep != std::string::npos; sep = text.find("://", sep + 3)) {
        if (sep == 0 || !isSchemeChar(text[sep - 1])) continue;
        const std::size_t authorityStart = sep + 3;
        std::size_t authorityEnd = authorityStart;
        while (authorityEnd < text.size()) {
            const char c = text[authorityEnd];
            if (c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || isSpace(c)) break;
            ++authorityEnd;
        }
        const auto at = text.rfind('@', authorityEnd == 0 ? 0 : authorityEnd - 1);
        if (at == std::string::npos || at < authorityStart) continue;
        const auto colon = text.find(':', authorityStart);
        if (colon == std::string::npos || colon >= at || colon + 1 == at) continue;
        out.append(text, copied, colon + 1 - copied);
        out += kMask;
        copied = at;
    }
    out.append(text, copied, std::string::npos);
    return out;
}

// The end of a quoted value starting at `open` (the quote), honouring backslash escapes.
std::size_t quotedEnd(const std::string& text, std::size_t open) {
    const char quote = text[open];
    std::size_t i = open + 1;
    while (i < text.size() && text[i] != quote) i += text[i] == '\\' ? 2 : 1;
    return std::min(i, text.size());
}

std::size_t skipSpaces(const std::string& text, std::size_t i) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    return i;
}

// Appends the masked form of the value starting at `start` and returns the index after it.
// A quoted value keeps its quotes; an unquoted one ends at whitespace or a terminator.
std::size_t maskValue(const std::string& text, std::size_t start, std::string_view terminators,
                      std::string& out) {
    if (start < text.size() && (text[start] == '\'' || text[start] == '"')) {
        const std::size_t close = quotedEnd(text, start);
        out += text[start];
        if (close > start + 1) out += kMask;
        if (close < text.size()) out += text[close];
        return std::min(close + 1, text.size());
    }
    std::size_t end = start;
    while (end < text.size() && !isSpace(text[end]) &&
           terminators.find(text[end]) == std::string_view::npos)
        ++end;
    if (end > start) out += kMask;
    return end;
}

// password=xxx, password = 'x y', "password": "xxx" -> the value replaced by ****.
std::string maskKeyValues(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const char c = text[i];
        if (c == '"') {
            // JSON: "key" : "value"
            const std::size_t keyEnd = quotedEnd(text, i);
            if (keyEnd < text.size() &&
                isSecretName(std::string_view(text).substr(i + 1, keyEnd - i - 1))) {
                std::size_t j = skipSpaces(text, keyEnd + 1);
                if (j < text.size() && text[j] == ':') {
                    j = skipSpaces(text, j + 1);
                    if (j < text.size() && text.compare(j, 4, "null") != 0) {
                        out.append(text, i, j - i);
                        i = maskValue(text, j, "\n,}]", out);
                        continue;
                    }
                }
            }
            out += c;
            ++i;
            continue;
        }
        if (!isKeyChar(c) || (i > 0 && isKeyChar(text[i - 1]))) {
            out += c;
            ++i;
            continue;
        }
        std::size_t keyEnd = i;
        while (keyEnd < text.size() && isKeyChar(text[keyEnd])) ++keyEnd;
        std::size_t j = skipSpaces(text, keyEnd);
        const bool assignment =
            j < text.size() && text[j] == '=' && (j + 1 == text.size() || text[j + 1] != '=');
        if (!assignment || !isSecretName(std::string_view(text).substr(i, keyEnd - i))) {
            out.append(text, i, keyEnd - i);
            i = keyEnd;
            continue;
        }
        j = skipSpaces(text, j + 1);
        out.append(text, i, j - i);
        i = maskValue(text, j, ";&,", out);
    }
    return out;
}

}  // namespace

bool isSecretName(std::string_view name) {
    std::string lowered(name.size(), '\0');
    std::transform(name.begin(), name.end(), lowered.begin(), lower);
    const auto dot = lowered.rfind('.');
    const std::string_view last = dot == std::string::npos
                                      ? std::string_view(lowered)
                                      : std::string_view(lowered).substr(dot + 1);
    if (last.ends_with("_file")) return false;  // a path to a secret is not itself secret
    if (lowered.starts_with("db.options.") && last == "key") return true;
    static constexpr std::array<std::string_view, 5> kWords{"password", "passwd", "pwd", "secret",
                                                            "token"};
    // "pgpassword", "sslpassword": the word may end a longer one.
    for (const std::string_view word : kWords)
        if (last.ends_with(word)) return true;
    // "secret_key", "password-hash": or stand between '_' or '-' anywhere.
    for (std::size_t start = 0; start <= last.size();) {
        const auto end = last.find_first_of("_-", start);
        const std::string_view part = last.substr(start, end - start);
        if (std::find(kWords.begin(), kWords.end(), part) != kWords.end()) return true;
        if (end == std::string_view::npos) break;
        start = end + 1;
    }
    return false;
}

void remember(std::string_view secret) {
    if (secret.size() < kMinRememberedLength) return;
    Remembered& store = remembered();
    std::lock_guard lock(store.mutex);
    store.secrets.emplace(secret);
}

std::string mask(std::string_view text) {
    return maskKeyValues(maskUrlPasswords(replaceRemembered(text)));
}

}  // namespace plugdb::secrets
