#include "writer.h"

namespace plugdb::sql {

Delete deleteFrom(Name table) {
    return Delete(std::move(table));
}

Delete& Delete::where(Expr condition) {
    where_ = where_ && condition;
    return *this;
}
Delete& Delete::everyRow() {
    everyRow_ = true;
    return *this;
}

Rendered Delete::build(const Target& target) const {
    if (where_.empty() && !everyRow_)
        detail::refuse("A DELETE without where() removes every row; call everyRow() to mean it.");
    detail::Writer w(target);
    w.sql("DELETE FROM ").name(table_);
    if (!where_.empty()) w.sql(" WHERE ").expr(where_);
    return w.finish();
}

Rendered Delete::render(const Target& target) const {
    return detail::forEngine(build(target), target);
}

Result Delete::exec(Database& db) const {
    const Rendered r = build(Target::of(db));
    return db.exec(r.sql, r.params);
}

}  // namespace plugdb::sql
