// HTTP/1.x messages as plugdb serve speaks them (RFC 9112): a request head
// parsed strictly, refused with the status that says what is wrong, and
// responses with exact status lines.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace plugdb::host::http {

struct Request {
    std::string method;    // case-sensitive, as sent
    std::string target;    // as sent
    std::string path;      // the target's path without query; empty unless origin- or absolute-form
    int minorVersion = 1;  // HTTP/1.x
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case

    // The first field of that (lower-case) name, or null.
    const std::string* header(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra fields, e.g. Allow
};

// Why a request head was refused: the status to answer and what was wrong.
struct Refusal {
    int status;
    std::string reason;
};

// Parses a complete head: the request line, the header fields and the empty
// line that ends them (CRLF, or a bare LF as RFC 9112 allows). Leading empty
// lines are ignored. Refuses with 400 (malformed, HTTP/1.1 without exactly
// one Host) or 505 (a major version other than 1).
std::variant<Request, Refusal> parseRequestHead(std::string_view head);

// Where the head in `buffer` ends (just past its empty line), or npos.
std::size_t findHeadEnd(std::string_view buffer);

// "OK", "Not Found", ... for the statuses serve answers; "Unknown" otherwise.
const char* reasonPhrase(int status);

// The whole response with Date, Content-Type, Content-Length, Cache-Control:
// no-store and Connection: close; the body left out for HEAD.
std::string serialize(const Response& response, bool withBody);

// A JSON error body {"error": message} with that status.
Response errorResponse(int status, const std::string& message);

}  // namespace plugdb::host::http
