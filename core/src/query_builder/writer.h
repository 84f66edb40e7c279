// Renders a statement's pieces for one engine: names quoted by its dialect,
// values as "?" placeholders with their parameters in order.
#pragma once

#include <string>
#include <string_view>

#include "plugdb/query_builder.h"

namespace plugdb::sql::detail {

class Writer {
public:
    explicit Writer(const Target& target) : target_(target) {}

    Writer& sql(std::string_view text);
    Writer& name(const Name& name);
    Writer& param(Value value);
    Writer& expr(const Expr& e);
    // Items separated by ", ".
    template <class Range, class Fn>
    Writer& list(const Range& items, Fn&& each) {
        bool first = true;
        for (const auto& item : items) {
            if (!first) sql(", ");
            first = false;
            each(item);
        }
        return *this;
    }

    const Target& target() const { return target_; }
    Rendered finish() { return std::move(out_); }

private:
    const Target& target_;
    Rendered out_;
};

// The rendering with the engine's own placeholders ($1, ...).
Rendered forEngine(Rendered portable, const Target& target);

// Throws plugdb::Error (invalid_argument) with `message`.
[[noreturn]] void refuse(const std::string& message);

}  // namespace plugdb::sql::detail
