// How the builder's own code makes and reads expressions (Expr keeps its
// pieces private, so only the builder writes SQL text into one).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "plugdb/query_builder.h"

namespace plugdb::sql::detail {

// How tightly an expression binds, to parenthesise only where needed.
enum Level : std::uint8_t {
    kAtom = 0,        // a name, a value, a function call
    kArithmetic = 1,  // a + b
    kComparison = 2,  // a = b, a IS NULL, a IN (...), a LIKE b
    kNot = 3,
    kAnd = 4,
    kOr = 5,
    kOpaque = 6,  // a raw fragment, an alias: always parenthesised as an operand
};

struct ExprAccess {
    static Expr make(std::vector<Piece> pieces, Level level) {
        Expr e;
        e.pieces_ = std::move(pieces);
        e.level_ = level;
        return e;
    }
    static Level level(const Expr& e) { return static_cast<Level>(e.level_); }
};

}  // namespace plugdb::sql::detail
