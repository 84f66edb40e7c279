// The PostgreSQL driver's text decoding and type names, called directly: a
// real server never sends the malformed values these refuse.
#include <gtest/gtest.h>

#include "plugdb/error.h"
#include "types.h"

using namespace plugdb;
using namespace plugdb::postgres;

namespace {

Value decodeText(::Oid oid, std::string_view text) {
    return decode(oid, text.data(), static_cast<int>(text.size()), postgresErrors());
}

}  // namespace

TEST(Postgres, ByteaDecodesHexAndEscapeFormats) {
    EXPECT_EQ(decodeText(kByteaOid, "\\x00ff5c"), Value(Blob{0x00, 0xff, 0x5c}));
    EXPECT_EQ(decodeText(kByteaOid, "\\x"), Value(Blob{}));
    EXPECT_EQ(decodeText(kByteaOid, "a\\000\\\\\\377"), Value(Blob{'a', 0x00, '\\', 0xff}));
    EXPECT_EQ(decodeText(kByteaOid, ""), Value(Blob{}));
}

// Issue 11, defect 11: malformed bytea used to decode silently into other bytes.
TEST(Postgres, MalformedByteaIsRefusedNotGarbled) {
    for (const char* bad : {"\\x0", "\\x0g", "\\xzz", "ab\\9", "\\", "a\\01", "\\400"}) {
        try {
            decodeText(kByteaOid, bad);
            ADD_FAILURE() << "decoded '" << bad << "'";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("bytea"), std::string::npos) << e.what();
        }
    }
}

// The wire code serves several engines (cockroach too): its errors name the
// engine whose connection read the value.
TEST(Postgres, MalformedByteaNamesTheEngineOfTheConnection) {
    const ErrorFlavor other{"otherwire", postgresErrors().category, postgresErrors().retryable};
    try {
        decode(kByteaOid, "\\x0", 3, other);
        ADD_FAILURE() << "decoded";
    } catch (const Error& e) {
        EXPECT_TRUE(std::string(e.what()).starts_with("otherwire: ")) << e.what();
        EXPECT_EQ(e.details().engine, "otherwire");
    }
}

TEST(Postgres, BuiltinTypeNamesCarryTheirModifiers) {
    EXPECT_EQ(builtinTypeName(kInt8Oid, -1), "int8");
    EXPECT_EQ(builtinTypeName(kVarcharOid, 64 + 4), "varchar(64)");
    EXPECT_EQ(builtinTypeName(kVarcharOid, -1), "varchar");
    EXPECT_EQ(builtinTypeName(kNumericOid, ((10 << 16) | 2) + 4), "numeric(10,2)");
    EXPECT_EQ(builtinTypeName(kTimestampTzOid, 3), "timestamptz(3)");
    EXPECT_EQ(builtinTypeName(1015, 10 + 4), "varchar(10)[]");
    EXPECT_EQ(builtinTypeName(1007, -1), "int4[]");
    EXPECT_EQ(builtinTypeName(99999, -1), "") << "not built in: the catalog names it";
}
