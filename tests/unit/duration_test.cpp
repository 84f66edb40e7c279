// parseDuration: the forms pool, timeout and backoff settings are written in.
#include "plugdb/duration.h"

#include <gtest/gtest.h>

using namespace plugdb;
using std::chrono::milliseconds;

TEST(Duration, UnitsAndCombinations) {
    EXPECT_EQ(parseDuration("250ms"), milliseconds(250));
    EXPECT_EQ(parseDuration("30s"), milliseconds(30'000));
    EXPECT_EQ(parseDuration("5m"), milliseconds(300'000));
    EXPECT_EQ(parseDuration("1h"), milliseconds(3'600'000));
    EXPECT_EQ(parseDuration("1h30m"), milliseconds(5'400'000));
    EXPECT_EQ(parseDuration("1m30s500ms"), milliseconds(90'500));
    EXPECT_EQ(parseDuration("1.5s"), milliseconds(1'500));
    EXPECT_EQ(parseDuration("0.25h"), milliseconds(900'000));
    EXPECT_EQ(parseDuration("0s"), milliseconds(0));
}

TEST(Duration, BareNumbersAreSeconds) {
    EXPECT_EQ(parseDuration("0"), milliseconds(0));
    EXPECT_EQ(parseDuration("7"), milliseconds(7'000));
    EXPECT_EQ(parseDuration("120"), milliseconds(120'000));
}

TEST(Duration, WhitespaceIsTrimmed) {
    EXPECT_EQ(parseDuration("  30s\t"), milliseconds(30'000));
    EXPECT_EQ(parseDuration("\n5 "), milliseconds(5'000));
}

TEST(Duration, InvalidFormsAreRefused) {
    for (const char* text : {"", "   ", "-1s", "-5", "+5s", "5x", "5 s", "1h 30m", "s", "ms", "1.5",
                             "5sec", "1d", ".s", "1..5s", "abc", "30S"}) {
        EXPECT_EQ(parseDuration(text), std::nullopt) << "'" << text << "'";
    }
}

TEST(Duration, OverflowIsRefused) {
    EXPECT_EQ(parseDuration("99999999999999999999h"), std::nullopt);
    EXPECT_EQ(parseDuration("999999999999999999999"), std::nullopt);
    EXPECT_EQ(parseDuration("9999999999999999s"), std::nullopt);
    EXPECT_EQ(parseDuration("1000000h"), milliseconds(3'600'000'000'000));
}
