#include "http_message.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <cctype>

#include "output.h"

namespace plugdb::host::http {
namespace {

// RFC 9110 token characters, the alphabet of methods and field names.
bool isTokenChar(unsigned char c) {
    return std::isalnum(c) ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool isToken(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return isTokenChar(static_cast<unsigned char>(c));
    });
}

// Visible ASCII only: a target carries no spaces, controls or raw 8-bit bytes.
bool isTargetText(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// Field values: visible characters, spaces, tabs and obs-text; no controls.
bool isFieldValue(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u == '\t' || (u >= 0x20 && u != 0x7f);
    });
}

std::string_view trimBlanks(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::string lowerCase(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// The path of an origin-form ("/a?b") or absolute-form ("http://h/a?b") target.
std::string pathOf(std::string_view target) {
    if (target.front() != '/') {
        const std::string lower = lowerCase(target.substr(0, 8));
        std::size_t schemeEnd = 0;
        if (lower.starts_with("http://")) schemeEnd = 7;
        if (lower.starts_with("https://")) schemeEnd = 8;
        if (schemeEnd == 0) return "";  // asterisk- or authority-form
        const auto slash = target.find_first_of("/?#", schemeEnd);
        if (slash == std::string_view::npos || target[slash] != '/') return "/";
        target.remove_prefix(slash);
    }
    return std::string(target.substr(0, target.find_first_of("?#")));
}

Refusal badRequest(std::string reason) {
    return {400, std::move(reason)};
}

}  // namespace

const std::string* Request::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name) return &value;
    return nullptr;
}

std::size_t findHeadEnd(std::string_view buffer) {
    std::size_t start = 0;
    while (start < buffer.size() && (buffer[start] == '\r' || buffer[start] == '\n')) ++start;
    for (auto i = buffer.find('\n', start); i != std::string_view::npos;
         i = buffer.find('\n', i + 1)) {
        if (i + 1 < buffer.size() && buffer[i + 1] == '\n') return i + 2;
        if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') return i + 3;
    }
    return std::string_view::npos;
}

std::variant<Request, Refusal> parseRequestHead(std::string_view head) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start < head.size();) {
        auto end = head.find('\n', start);
        if (end == std::string_view::npos) end = head.size();
        std::string_view line = head.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find('\r') != std::string_view::npos)
            return badRequest("a bare CR in the request head");
        if (!line.empty() || !lines.empty()) lines.push_back(line);  // leading empty lines
        start = end + 1;
    }
    while (!lines.empty() && lines.back().empty()) lines.pop_back();
    if (lines.empty()) return badRequest("an empty request");

    // request-line = method SP request-target SP HTTP-version
    const std::string_view line = lines.front();
    const auto firstSpace = line.find(' ');
    const auto secondSpace =
        firstSpace == std::string_view::npos ? firstSpace : line.find(' ', firstSpace + 1);
    if (secondSpace == std::string_view::npos ||
        line.find(' ', secondSpace + 1) != std::string_view::npos)
        return badRequest("the request line is not METHOD TARGET HTTP/1.1");
    Request request;
    request.method = line.substr(0, firstSpace);
    request.target = line.substr(firstSpace + 1, secondSpace - firstSpace - 1);
    const std::string_view version = line.substr(secondSpace + 1);
    if (!isToken(request.method)) return badRequest("the method is not a token");
    if (!isTargetText(request.target)) return badRequest("the request target is malformed");
    const auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (version.size() != 8 || !version.starts_with("HTTP/") || !digit(version[5]) ||
        version[6] != '.' || !digit(version[7]))
        return badRequest("the protocol version is not HTTP/DIGIT.DIGIT");
    if (version[5] != '1')
        return Refusal{505,
                       "only HTTP/1.0 and HTTP/1.1 are supported, not " + std::string(version)};
    // A later HTTP/1.x minor is answered as HTTP/1.1 (RFC 9110, section 2.5).
    request.minorVersion = version[7] - '0';
    request.path = pathOf(request.target);

    int hosts = 0;
    for (std::size_t i = 1; i < lines.size(); ++i) {
        const std::string_view field = lines[i];
        if (field.empty()) break;  // the head ends at its first empty line
        if (field.front() == ' ' || field.front() == '\t')
            return badRequest("obsolete line folding in a header field");
        const auto colon = field.find(':');
        if (colon == std::string_view::npos) return badRequest("a header field without ':'");
        if (!isToken(field.substr(0, colon))) return badRequest("a malformed header field name");
        const std::string_view value = trimBlanks(field.substr(colon + 1));
        if (!isFieldValue(value)) return badRequest("a control character in a header field");
        request.headers.emplace_back(lowerCase(field.substr(0, colon)), std::string(value));
        if (request.headers.back().first == "host") ++hosts;
    }
    if (hosts > 1) return badRequest("more than one Host header");
    if (hosts == 0 && request.minorVersion >= 1)
        return badRequest("an HTTP/1.1 request without a Host header");
    return request;
}

const char* reasonPhrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 400:
            return "Bad Request";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 414:
            return "URI Too Long";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        case 505:
            return "HTTP Version Not Supported";
        default:
            return "Unknown";
    }
}

std::string serialize(const Response& response, bool withBody) {
    std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                      reasonPhrase(response.status) + "\r\n";
    out += "Date: " +
           Poco::DateTimeFormatter::format(Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT) +
           "\r\n";
    out += "Content-Type: " + response.contentType + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
    out += "Cache-Control: no-store\r\n";
    for (const auto& [name, value] : response.headers) out += name + ": " + value + "\r\n";
    out += "Connection: close\r\n\r\n";
    if (withBody) out += response.body;
    return out;
}

Response errorResponse(int status, const std::string& message) {
    return Response{status, "application/json", "{\"error\":" + jsonString(message) + "}", {}};
}

}  // namespace plugdb::host::http
