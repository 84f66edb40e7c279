#include <utility>

#include "expr_access.h"
#include "plugdb/query_builder.h"

namespace plugdb::sql {

using detail::ExprAccess;
using detail::Level;

namespace {

Piece text(std::string sql) {
    return Piece{Piece::Kind::Sql, std::move(sql), {}, {}};
}

// Appends `e`, in parentheses when it binds less tightly than the operator
// it stands beside (or as tightly, for an operator that does not associate).
void operand(std::vector<Piece>& out, const Expr& e, Level op, bool associative) {
    const Level level = ExprAccess::level(e);
    const bool wrap = level > op || (level == op && !associative && level != detail::kAtom);
    if (wrap) out.push_back(text("("));
    out.insert(out.end(), e.pieces().begin(), e.pieces().end());
    if (wrap) out.push_back(text(")"));
}

Expr binary(const Expr& a, const char* op, const Expr& b, Level level, bool associative) {
    std::vector<Piece> out;
    operand(out, a, level, associative);
    out.push_back(text(op));
    operand(out, b, level, associative);
    return ExprAccess::make(std::move(out), level);
}

Expr postfix(const Expr& a, const char* op) {
    std::vector<Piece> out;
    operand(out, a, detail::kComparison, false);
    out.push_back(text(op));
    return ExprAccess::make(std::move(out), detail::kComparison);
}

Expr call(const char* function, const Expr& argument) {
    std::vector<Piece> out{text(std::string(function) + "(")};
    out.insert(out.end(), argument.pieces().begin(), argument.pieces().end());
    out.push_back(text(")"));
    return ExprAccess::make(std::move(out), detail::kAtom);
}

Expr inList(const Expr& a, const std::vector<Value>& values, bool negated) {
    if (values.empty())
        return ExprAccess::make({text(negated ? "1 = 1" : "1 = 0")}, detail::kComparison);
    std::vector<Piece> out;
    operand(out, a, detail::kComparison, false);
    out.push_back(text(negated ? " NOT IN (" : " IN ("));
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out.push_back(text(", "));
        out.push_back(Piece{Piece::Kind::Param, {}, {}, values[i]});
    }
    out.push_back(text(")"));
    return ExprAccess::make(std::move(out), detail::kComparison);
}

}  // namespace

Expr col(Name name) {
    return ExprAccess::make({Piece{Piece::Kind::Name, {}, name.parts(), {}}}, detail::kAtom);
}

Expr val(Value value) {
    return ExprAccess::make({Piece{Piece::Kind::Param, {}, {}, std::move(value)}}, detail::kAtom);
}

Expr unsafeRaw(std::string sql) {
    return ExprAccess::make({text(std::move(sql))}, detail::kOpaque);
}

Expr count() {
    return ExprAccess::make({text("COUNT(*)")}, detail::kAtom);
}
Expr count(const Expr& e) {
    return call("COUNT", e);
}
Expr sum(const Expr& e) {
    return call("SUM", e);
}
Expr min(const Expr& e) {
    return call("MIN", e);
}
Expr max(const Expr& e) {
    return call("MAX", e);
}
Expr avg(const Expr& e) {
    return call("AVG", e);
}

Expr Expr::isNull() const {
    return postfix(*this, " IS NULL");
}
Expr Expr::isNotNull() const {
    return postfix(*this, " IS NOT NULL");
}
Expr Expr::in(const std::vector<Value>& values) const {
    return inList(*this, values, false);
}
Expr Expr::notIn(const std::vector<Value>& values) const {
    return inList(*this, values, true);
}
Expr Expr::between(Value low, Value high) const {
    std::vector<Piece> out;
    operand(out, *this, detail::kComparison, false);
    out.push_back(text(" BETWEEN "));
    out.push_back(Piece{Piece::Kind::Param, {}, {}, std::move(low)});
    out.push_back(text(" AND "));
    out.push_back(Piece{Piece::Kind::Param, {}, {}, std::move(high)});
    return ExprAccess::make(std::move(out), detail::kComparison);
}
Expr Expr::like(Value pattern) const {
    return binary(*this, " LIKE ", val(std::move(pattern)), detail::kComparison, false);
}
Expr Expr::notLike(Value pattern) const {
    return binary(*this, " NOT LIKE ", val(std::move(pattern)), detail::kComparison, false);
}
Expr Expr::as(std::string_view alias) const {
    std::vector<Piece> out = pieces_;
    out.push_back(text(" AS "));
    out.push_back(Piece{Piece::Kind::Name, {}, Name::unqualified(alias).parts(), {}});
    return ExprAccess::make(std::move(out), detail::kOpaque);
}

Expr operator==(const Expr& a, const Expr& b) {
    return binary(a, " = ", b, detail::kComparison, false);
}
Expr operator!=(const Expr& a, const Expr& b) {
    return binary(a, " <> ", b, detail::kComparison, false);
}
Expr operator<(const Expr& a, const Expr& b) {
    return binary(a, " < ", b, detail::kComparison, false);
}
Expr operator<=(const Expr& a, const Expr& b) {
    return binary(a, " <= ", b, detail::kComparison, false);
}
Expr operator>(const Expr& a, const Expr& b) {
    return binary(a, " > ", b, detail::kComparison, false);
}
Expr operator>=(const Expr& a, const Expr& b) {
    return binary(a, " >= ", b, detail::kComparison, false);
}
Expr operator+(const Expr& a, const Expr& b) {
    return binary(a, " + ", b, detail::kArithmetic, false);
}
Expr operator-(const Expr& a, const Expr& b) {
    return binary(a, " - ", b, detail::kArithmetic, false);
}
Expr operator==(const Expr& a, Value b) {
    return a == val(std::move(b));
}
Expr operator!=(const Expr& a, Value b) {
    return a != val(std::move(b));
}
Expr operator<(const Expr& a, Value b) {
    return a < val(std::move(b));
}
Expr operator<=(const Expr& a, Value b) {
    return a <= val(std::move(b));
}
Expr operator>(const Expr& a, Value b) {
    return a > val(std::move(b));
}
Expr operator>=(const Expr& a, Value b) {
    return a >= val(std::move(b));
}
Expr operator+(const Expr& a, Value b) {
    return a + val(std::move(b));
}
Expr operator-(const Expr& a, Value b) {
    return a - val(std::move(b));
}

Expr operator&&(const Expr& a, const Expr& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return binary(a, " AND ", b, detail::kAnd, true);
}
Expr operator||(const Expr& a, const Expr& b) {
    if (a.empty()) return b;
    if (b.empty()) return a;
    return binary(a, " OR ", b, detail::kOr, true);
}
Expr operator!(const Expr& a) {
    if (a.empty()) return a;
    std::vector<Piece> out{text("NOT ")};
    operand(out, a, detail::kComparison, false);
    return ExprAccess::make(std::move(out), detail::kNot);
}

}  // namespace plugdb::sql
