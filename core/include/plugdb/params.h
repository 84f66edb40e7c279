// Bound parameters as passed to exec and query.
#pragma once

#include <initializer_list>
#include <span>
#include <vector>

#include "plugdb/value.h"

namespace plugdb {

// A view of bound parameters: `db.exec(sql, {1, "x"})` or a std::vector<Value>.
// Non-owning: valid for the duration of the call it is passed to.
class Params {
public:
    Params() = default;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Winit-list-lifetime"  // a view by design, see above
    Params(std::initializer_list<Value> list) : data_(list.begin()), size_(list.size()) {}
#pragma GCC diagnostic pop
    Params(const std::vector<Value>& values) : data_(values.data()), size_(values.size()) {}
    Params(std::span<const Value> values) : data_(values.data()), size_(values.size()) {}
    std::span<const Value> view() const {
        return {data_, size_};
    }

private:
    const Value* data_ = nullptr;
    std::size_t size_ = 0;
};

}  // namespace plugdb
