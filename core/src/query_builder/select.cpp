#include "writer.h"

namespace plugdb::sql {

Select select(std::vector<Term> columns) {
    return Select(std::move(columns));
}

Select& Select::from(Name table) {
    table_ = std::move(table);
    return *this;
}
Select& Select::from(Name table, Name alias) {
    table_ = std::move(table);
    alias_ = std::move(alias);
    return *this;
}
Select& Select::join(Name table, Expr on) {
    joins_.push_back({"JOIN", std::move(table), std::nullopt, std::move(on)});
    return *this;
}
Select& Select::join(Name table, Name alias, Expr on) {
    joins_.push_back({"JOIN", std::move(table), std::move(alias), std::move(on)});
    return *this;
}
Select& Select::leftJoin(Name table, Expr on) {
    joins_.push_back({"LEFT JOIN", std::move(table), std::nullopt, std::move(on)});
    return *this;
}
Select& Select::leftJoin(Name table, Name alias, Expr on) {
    joins_.push_back({"LEFT JOIN", std::move(table), std::move(alias), std::move(on)});
    return *this;
}
Select& Select::where(Expr condition) {
    where_ = where_ && condition;
    return *this;
}
Select& Select::groupBy(std::vector<Term> terms) {
    groupBy_.insert(groupBy_.end(), terms.begin(), terms.end());
    return *this;
}
Select& Select::having(Expr condition) {
    having_ = having_ && condition;
    return *this;
}
Select& Select::orderBy(Term term, Order order) {
    orderBy_.emplace_back(std::move(term), order);
    return *this;
}
Select& Select::limit(std::int64_t rows) {
    if (rows < 0)
        detail::refuse("limit() takes a count of rows, not " + std::to_string(rows) + ".");
    limit_ = rows;
    return *this;
}
Select& Select::offset(std::int64_t rows) {
    if (rows < 0)
        detail::refuse("offset() takes a count of rows, not " + std::to_string(rows) + ".");
    offset_ = rows;
    return *this;
}

Rendered Select::build(const Target& target) const {
    detail::Writer w(target);
    w.sql("SELECT ");
    if (columns_.empty()) w.sql("*");
    w.list(columns_, [&](const Term& t) { w.expr(t.expr()); });
    if (table_) {
        w.sql(" FROM ").name(*table_);
        if (alias_) w.sql(" AS ").name(*alias_);
    }
    for (const Join& join : joins_) {
        if (join.on.empty()) detail::refuse("A join needs the condition it joins on.");
        w.sql(" ").sql(join.kind).sql(" ").name(join.table);
        if (join.alias) w.sql(" AS ").name(*join.alias);
        w.sql(" ON ").expr(join.on);
    }
    if (!where_.empty()) w.sql(" WHERE ").expr(where_);
    if (!groupBy_.empty()) {
        w.sql(" GROUP BY ");
        w.list(groupBy_, [&](const Term& t) { w.expr(t.expr()); });
    }
    if (!having_.empty()) w.sql(" HAVING ").expr(having_);
    if (!orderBy_.empty()) {
        w.sql(" ORDER BY ");
        w.list(orderBy_, [&](const auto& item) {
            w.expr(item.first.expr());
            if (item.second == Order::Desc) w.sql(" DESC");
        });
    }
    if (limit_) w.sql(" LIMIT ").param(*limit_);
    if (offset_) {
        if (!limit_ && !target.query.limitForOffsetOnly.empty())
            w.sql(" ").sql(target.query.limitForOffsetOnly);
        w.sql(" OFFSET ").param(*offset_);
    }
    return w.finish();
}

Rendered Select::render(const Target& target) const {
    return detail::forEngine(build(target), target);
}

Rows Select::query(Database& db) const {
    const Rendered r = build(Target::of(db));
    return db.query(r.sql, r.params);
}

}  // namespace plugdb::sql
