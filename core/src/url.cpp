// Parsing connection URLs (see plugdb/url.h).
#include "plugdb/url.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <utility>

#include "ascii_text.h"
#include "plugdb/error.h"
#include "plugdb/secrets.h"
#include "plugdb/settings.h"
#include "url_scheme.h"
#include "url_secrets.h"

namespace plugdb {
namespace {

using ascii::isDigit;
using ascii::lowerCase;

[[noreturn]] void configError(const std::string& message) {
    throw Error(ErrorCategory::Config, message);
}

int hexValue(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::optional<std::string> percentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out += text[i];
            continue;
        }
        if (i + 2 >= text.size()) return std::nullopt;
        const int high = hexValue(text[i + 1]);
        const int low = hexValue(text[i + 2]);
        if (high < 0 || low < 0) return std::nullopt;
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

bool isValidScheme(std::string_view scheme) {
    if (scheme.empty() || std::isalpha(static_cast<unsigned char>(scheme.front())) == 0)
        return false;
    return std::all_of(scheme.begin(), scheme.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '-' || c == '.';
    });
}

// The last '@' after "scheme://": whatever precedes it may be credentials,
// however malformed the URL is.
std::optional<std::pair<std::size_t, std::size_t>> userInfoSpan(std::string_view text) {
    const auto separator = text.find("://");
    if (separator == std::string_view::npos) return std::nullopt;
    const auto at = text.rfind('@');
    if (at == std::string_view::npos || at < separator + 3) return std::nullopt;
    return std::pair{separator + 3, at};
}

// scheme://anything@host... -> scheme://****@host...
std::string withoutUserInfo(std::string_view text) {
    std::string out(text);
    if (const auto span = userInfoSpan(text))
        out.replace(span->first, span->second - span->first, secrets::kMask);
    return out;
}

class UrlParser {
public:
    explicit UrlParser(std::string_view text) : text_(text) {}

    Url parse() {
        rememberUrlPassword(text_);
        Url url;
        const auto colon = text_.find(':');
        if (colon == std::string_view::npos || !isValidScheme(text_.substr(0, colon)))
            fail("has no scheme; write it like postgres://host/db or sqlite:./app.db");
        url.scheme = lowerCase(text_.substr(0, colon));

        std::string_view rest = text_.substr(colon + 1);
        const auto queryStart = rest.find('?');
        const std::string_view query =
            queryStart == std::string_view::npos ? std::string_view() : rest.substr(queryStart + 1);
        rest = rest.substr(0, queryStart);

        if (rest.starts_with("//")) {
            url.hasAuthority = true;
            rest.remove_prefix(2);
            const auto pathStart = rest.find('/');
            parseAuthority(rest.substr(0, pathStart), url);
            if (pathStart != std::string_view::npos)
                url.path = decode(rest.substr(pathStart), "path");
        } else {
            url.path = decode(rest, "path");
        }
        parseQuery(query, url);
        return url;
    }

private:
    // The URL is shown with its whole user-info hidden: in a malformed URL the
    // parser cannot tell where a password ends.
    [[noreturn]] void fail(const std::string& problem) const {
        configError("the URL '" + secrets::mask(withoutUserInfo(text_)) + "' " + problem);
    }

    std::string decode(std::string_view part, const char* component) const {
        auto decoded = percentDecode(part);
        if (!decoded)
            fail(std::string("has a malformed percent escape in its ") + component +
                 " (expected % followed by two hex digits)");
        return std::move(*decoded);
    }

    int parsePort(std::string_view text) const {
        const bool digits =
            !text.empty() && text.size() <= 5 && std::all_of(text.begin(), text.end(), isDigit);
        const int port = digits ? std::stoi(std::string(text)) : 0;
        if (port < 1 || port > 65535)
            fail("has the invalid port '" + secrets::mask(text) + "' (expected 1-65535)");
        return port;
    }

    Url::Host parseHost(std::string_view item) const {
        Url::Host host;
        std::string_view hostText = item;
        std::optional<std::string_view> portText;
        if (item.starts_with('[')) {
            const auto close = item.find(']');
            if (close == std::string_view::npos)
                fail("has an IPv6 address without its closing ']'");
            hostText = item.substr(1, close - 1);
            const std::string_view after = item.substr(close + 1);
            if (!after.empty()) {
                if (after.front() != ':') fail("has unexpected text after an IPv6 address");
                portText = after.substr(1);
            }
        } else if (const auto colon = item.find(':'); colon != std::string_view::npos) {
            hostText = item.substr(0, colon);
            portText = item.substr(colon + 1);
        }
        host.host = decode(hostText, "host");
        if (portText) host.port = parsePort(*portText);
        return host;
    }

    void parseAuthority(std::string_view authority, Url& url) const {
        std::string_view hostList = authority;
        if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
            const std::string_view userinfo = authority.substr(0, at);
            hostList = authority.substr(at + 1);
            const auto colon = userinfo.find(':');
            url.user = decode(userinfo.substr(0, colon), "user name");
            if (colon != std::string_view::npos)
                url.password = decode(userinfo.substr(colon + 1), "password");
        }
        if (hostList.empty()) return;
        std::size_t start = 0;
        while (true) {
            const auto comma = hostList.find(',', start);
            const std::string_view item = hostList.substr(start, comma - start);
            if (item.empty()) fail("has an empty entry in its host list");
            url.hosts.push_back(parseHost(item));
            if (comma == std::string_view::npos) break;
            start = comma + 1;
        }
    }

    void parseQuery(std::string_view query, Url& url) const {
        std::size_t start = 0;
        while (start <= query.size() && !query.empty()) {
            const auto amp = query.find('&', start);
            const std::string_view pair = query.substr(start, amp - start);
            if (!pair.empty()) {
                const auto eq = pair.find('=');
                std::string key = decode(pair.substr(0, eq), "query");
                std::string value = eq == std::string_view::npos
                                        ? std::string()
                                        : decode(pair.substr(eq + 1), "query");
                // A query parameter is a driver option.
                if (secrets::isSecretName(std::string(settings::kDriverOptionPrefix) + key))
                    secrets::remember(value);
                url.query.emplace_back(std::move(key), std::move(value));
            }
            if (amp == std::string_view::npos) break;
            start = amp + 1;
        }
    }

    std::string_view text_;
};

}  // namespace

// Remembers the password of scheme://user:password@host before anything can
// fail, so no error message built from the URL can show it.
void rememberUrlPassword(std::string_view text) {
    const auto remember = [](std::string_view password) {
        secrets::remember(password);
        if (auto decoded = percentDecode(password)) secrets::remember(*decoded);
    };
    const auto separator = text.find("://");
    if (separator == std::string_view::npos) return;
    // As the parser reads it: user-info ends at the authority's last '@'.
    std::string_view authority = text.substr(separator + 3);
    authority = authority.substr(0, authority.find_first_of("/?"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userinfo = authority.substr(0, at);
        if (const auto colon = userinfo.find(':'); colon != std::string_view::npos)
            remember(userinfo.substr(colon + 1));
    }
    // As a user may have meant it: an unencoded '/', '?' or '@' inside the
    // password puts the end of the user-info at the text's last '@'.
    if (const auto span = userInfoSpan(text)) {
        const std::string_view userinfo = text.substr(span->first, span->second - span->first);
        if (const auto colon = userinfo.find(':'); colon != std::string_view::npos)
            remember(userinfo.substr(colon + 1));
    }
}

bool hasUrlScheme(std::string_view text) {
    const auto colon = text.find(':');
    return colon != std::string_view::npos && isValidScheme(text.substr(0, colon));
}

Url Url::parse(std::string_view text) {
    return UrlParser(text).parse();
}

}  // namespace plugdb
