#include "plugdb/value.h"

#include <gtest/gtest.h>

#include <limits>

#include "plugdb/error.h"

using namespace plugdb;

TEST(Timestamp, FormatsAndParsesWithMicroseconds) {
    const auto t = Timestamp::parse("2024-02-29 23:59:59.123456Z");
    ASSERT_TRUE(t);
    EXPECT_EQ(t->toString(), "2024-02-29 23:59:59.123456Z");
    EXPECT_EQ(Timestamp::parse("1970-01-01T00:00:00Z")->micros, 0);
    EXPECT_EQ(Timestamp::parse("1970-01-01")->micros, 0);
    EXPECT_EQ(Timestamp::parse("1969-12-31 23:59:59.999999")->micros, -1);
    EXPECT_EQ(Timestamp{-1}.toString(), "1969-12-31 23:59:59.999999Z");
}

TEST(Timestamp, AppliesOffsets) {
    EXPECT_EQ(*Timestamp::parse("2024-01-01 02:00:00+02:00"),
              *Timestamp::parse("2024-01-01 00:00:00Z"));
    EXPECT_EQ(*Timestamp::parse("2024-01-01 00:00:00-0530"),
              *Timestamp::parse("2024-01-01 05:30:00Z"));
    EXPECT_EQ(*Timestamp::parse("2024-01-01 00:00:00.5 +01"),
              *Timestamp::parse("2023-12-31 23:00:00.5Z"));
}

TEST(Timestamp, RejectsGarbage) {
    for (const char* bad : {"", "2024", "2024-13-01", "2024-01-01 25:00:00", "2024-01-01 10:00:00.",
                            "2024-01-01 10:00:00 UTC", "x024-01-01"})
        EXPECT_FALSE(Timestamp::parse(bad)) << bad;
}

TEST(Value, HoldsEachTypeAndConvertsOnlyWithoutLoss) {
    EXPECT_TRUE(Value().isNull());
    EXPECT_TRUE(Value(nullptr).isNull());
    EXPECT_EQ(Value(std::numeric_limits<int64_t>::min()).asInt(),
              std::numeric_limits<int64_t>::min());
    EXPECT_EQ(Value(3u).type(), Type::Int);
    EXPECT_EQ(Value(true).type(), Type::Bool);
    EXPECT_EQ(Value("text").type(), Type::Text) << "a string literal is text, not bool";
    EXPECT_EQ(Value(Blob{}).type(), Type::Blob);
    EXPECT_EQ(Value(4.0).asInt(), 4);
    EXPECT_THROW(Value(4.5).asInt(), Error);
    EXPECT_THROW(Value(1e300).asInt(), Error);
    EXPECT_THROW(Value().asInt(), Error);
    EXPECT_THROW(Value("1").asInt(), Error);
    EXPECT_THROW(Value(std::numeric_limits<uint64_t>::max()), Error);
    EXPECT_EQ(Value(std::optional<int>{}).type(), Type::Null);
    EXPECT_EQ(Value(std::optional<int>{5}).asInt(), 5);
}

TEST(Value, RendersForHumans) {
    EXPECT_EQ(Value().toString(), "NULL");
    EXPECT_EQ(Value(-0.0).toString(), "-0");
    EXPECT_EQ(Value(0.1).toString(), "0.1");
    EXPECT_EQ(Value(Blob{0x00, 0xff}).toString(), "\\x00ff");
    EXPECT_EQ(Value(false).toString(), "false");
}

TEST(Value, DecimalTextIsAnIntWhenWholeAndExactTextOtherwise) {
    EXPECT_EQ(plugdb::Value::fromDecimalText("42"), plugdb::Value(42));
    EXPECT_EQ(plugdb::Value::fromDecimalText("-9223372036854775808"),
              plugdb::Value(std::numeric_limits<std::int64_t>::min()));
    EXPECT_EQ(plugdb::Value::fromDecimalText("9223372036854775808"),
              plugdb::Value("9223372036854775808"))
        << "too large for int64: kept exact";
    EXPECT_EQ(plugdb::Value::fromDecimalText("1.50"), plugdb::Value("1.50"));
    EXPECT_EQ(plugdb::Value::fromDecimalText("NaN"), plugdb::Value("NaN"));
}
