// A statement prepared once and run many times.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "plugdb/driver.h"
#include "plugdb/params.h"
#include "plugdb/result.h"
#include "plugdb/rows.h"

namespace plugdb {

namespace detail {
class Lease;
struct PreparedState;
}  // namespace detail

// A statement prepared once and run many times with new parameters.
// Rows it returned are valid until it runs again; after that their next() and
// value() throw invalid_argument.
class PreparedStatement {
public:
    PreparedStatement(PreparedStatement&&) noexcept;
    PreparedStatement& operator=(PreparedStatement&&) noexcept;
    ~PreparedStatement();

    Result exec(Params params = {});
    Rows query(Params params = {});
    std::size_t parameterCount() const;

private:
    friend class detail::Lease;
    PreparedStatement(std::shared_ptr<detail::Lease> lease, std::shared_ptr<Statement> statement,
                      std::size_t parameterCount, std::uint8_t operation);
    void run(Params params);

    std::unique_ptr<detail::PreparedState> state_;  // null once moved from
};

}  // namespace plugdb
