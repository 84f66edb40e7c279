// Binding plugdb values to MySQL's binary protocol and reading them back.
#pragma once

#include <mysql.h>

#include <array>
#include <string>
#include <vector>

#include "plugdb/driver.h"

namespace plugdb::mysql {

// Storage behind one parameter's MYSQL_BIND; lives for one execute.
struct ParamSlot {
    long long integer = 0;
    double real = 0;
    signed char tiny = 0;
    MYSQL_TIME time{};
    my_bool isNull = 0;
    unsigned long length = 0;
};

// Points `bind` at `value` (which must outlive the execute).
void bindParam(const Value& value, ParamSlot& slot, MYSQL_BIND& bind);

// Storage behind one result column's MYSQL_BIND, reused for every row.
struct ColumnSlot {
    // Time: DATETIME and TIMESTAMP; Date and TimeOfDay decode to ISO text.
    enum class Kind { Bool, Int, Double, Time, Date, TimeOfDay, Bytes };
    Kind kind = Kind::Bytes;
    Type type = Type::Text;  // what a value of this column decodes to
    bool isUnsigned = false;
    bool isDecimal = false;
    long long integer = 0;
    double real = 0;
    MYSQL_TIME time{};
    std::array<char, 128> small{};  // most strings fit; longer ones are fetched apart
    std::string large;
    unsigned long length = 0;
    my_bool isNull = 0;
    my_bool error = 0;
};

// The column's type as MySQL spells it, upper case, from the result metadata:
// "BIGINT", "BIGINT UNSIGNED", "VARCHAR(64)", "DECIMAL(10,2)", "DATETIME(6)",
// "LONGTEXT", "TINYINT(1)"; empty for a type it does not know.
std::string typeName(const MYSQL_FIELD& field);

// Sets up a column slot and its bind from the field's metadata; returns the column.
Column describeColumn(const MYSQL_FIELD& field, ColumnSlot& slot, MYSQL_BIND& bind);

// The value in a slot after a fetch (string columns longer than the small
// buffer must have been fetched into slot.large first).
Value decodeColumn(const ColumnSlot& slot);

}  // namespace plugdb::mysql
