#include "writer.h"

namespace plugdb::sql {

Update update(Name table) {
    return Update(std::move(table));
}

Update& Update::set(Name column, Value value) {
    sets_.emplace_back(std::move(column), val(std::move(value)));
    return *this;
}
Update& Update::set(Name column, Expr value) {
    sets_.emplace_back(std::move(column), std::move(value));
    return *this;
}
Update& Update::where(Expr condition) {
    where_ = where_ && condition;
    return *this;
}
Update& Update::everyRow() {
    everyRow_ = true;
    return *this;
}

Rendered Update::build(const Target& target) const {
    if (sets_.empty()) detail::refuse("An UPDATE needs at least one set().");
    if (where_.empty() && !everyRow_)
        detail::refuse("An UPDATE without where() changes every row; call everyRow() to mean it.");
    detail::Writer w(target);
    w.sql("UPDATE ").name(table_).sql(" SET ");
    w.list(sets_, [&](const auto& set) { w.name(set.first).sql(" = ").expr(set.second); });
    if (!where_.empty()) w.sql(" WHERE ").expr(where_);
    return w.finish();
}

Rendered Update::render(const Target& target) const {
    return detail::forEngine(build(target), target);
}

Result Update::exec(Database& db) const {
    const Rendered r = build(Target::of(db));
    return db.exec(r.sql, r.params);
}

}  // namespace plugdb::sql
