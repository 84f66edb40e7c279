#include "plugdb/error.h"
#include "plugdb/query_builder.h"

namespace plugdb::sql {

namespace {

void checkPart(std::string_view part, std::string_view whole) {
    if (part.empty())
        throw Error(ErrorCategory::InvalidArgument,
                    "The identifier '" + std::string(whole) + "' has an empty part.");
    if (part.find('\0') != std::string_view::npos)
        throw Error(ErrorCategory::InvalidArgument, "An identifier may not hold a NUL byte.");
}

}  // namespace

Name::Name(std::string_view name) {
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = name.find('.', start);
        const std::string_view part = name.substr(start, dot - start);
        checkPart(part, name);
        parts_.emplace_back(part);
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
}

Name Name::unqualified(std::string_view name) {
    checkPart(name, name);
    Name n;
    n.parts_.emplace_back(name);
    return n;
}

}  // namespace plugdb::sql
