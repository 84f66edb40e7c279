#include "writer.h"

#include "plugdb/error.h"
#include "plugdb/sql.h"

namespace plugdb::sql::detail {

Writer& Writer::sql(std::string_view text) {
    out_.sql += text;
    return *this;
}

Writer& Writer::name(const Name& name) {
    bool first = true;
    for (const std::string& part : name.parts()) {
        if (!first) out_.sql += '.';
        first = false;
        out_.sql += quoteIdentifier(part, target_.dialect);
    }
    return *this;
}

Writer& Writer::param(Value value) {
    out_.sql += '?';
    out_.params.push_back(std::move(value));
    return *this;
}

Writer& Writer::expr(const Expr& e) {
    for (const Piece& piece : e.pieces()) {
        switch (piece.kind) {
            case Piece::Kind::Sql:
                out_.sql += piece.sql;
                break;
            case Piece::Kind::Name:
                for (std::size_t i = 0; i < piece.name.size(); ++i) {
                    if (i > 0) out_.sql += '.';
                    out_.sql += quoteIdentifier(piece.name[i], target_.dialect);
                }
                break;
            case Piece::Kind::Param:
                param(piece.value);
                break;
        }
    }
    return *this;
}

Rendered forEngine(Rendered portable, const Target& target) {
    portable.sql = rewritePlaceholders(portable.sql, target.dialect.placeholders).text;
    return portable;
}

void refuse(const std::string& message) {
    throw Error(ErrorCategory::InvalidArgument, message);
}

}  // namespace plugdb::sql::detail
