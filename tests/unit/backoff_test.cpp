// Backoff: capped exponential delays jittered into [half, full].
#include "plugdb/backoff.h"

#include <gtest/gtest.h>

#include "plugdb/config.h"
#include "plugdb/error.h"
#include "plugdb/settings.h"

using namespace plugdb;
using std::chrono::milliseconds;

namespace {

// Every delay after `failures` failures lies in [wait/2, wait].
void expectWithin(const Backoff& backoff, int failures, milliseconds wait) {
    for (int i = 0; i < 200; ++i) {
        const milliseconds delay = backoff.delayAfter(failures);
        EXPECT_GE(delay, wait / 2) << "after " << failures << " failures";
        EXPECT_LE(delay, wait) << "after " << failures << " failures";
    }
}

}  // namespace

TEST(Backoff, DoublesPerFailureUpToTheCap) {
    const Backoff backoff(milliseconds(100), milliseconds(1000));
    expectWithin(backoff, 1, milliseconds(100));
    expectWithin(backoff, 2, milliseconds(200));
    expectWithin(backoff, 3, milliseconds(400));
    expectWithin(backoff, 4, milliseconds(800));
    expectWithin(backoff, 5, milliseconds(1000));
    expectWithin(backoff, 1000, milliseconds(1000));
}

TEST(Backoff, ZeroAndOddBounds) {
    EXPECT_EQ(Backoff(milliseconds(0), milliseconds(0)).delayAfter(3), milliseconds(0));
    EXPECT_EQ(Backoff(milliseconds(-5), milliseconds(-1)).delayAfter(1), milliseconds(0));
    const Backoff capped(milliseconds(500), milliseconds(50));
    EXPECT_EQ(capped.initial(), milliseconds(50)) << "max caps the first wait too";
    expectWithin(capped, 1, milliseconds(50));
}

TEST(Backoff, DelayBeforeADeadline) {
    const Backoff backoff(milliseconds(1000), milliseconds(1000));
    EXPECT_EQ(backoff.delayBefore(1, Backoff::Clock::now()), std::nullopt);
    const auto delay = backoff.delayBefore(1, Backoff::Clock::now() + std::chrono::hours(1));
    ASSERT_TRUE(delay);
    EXPECT_LE(*delay, milliseconds(1000));
}

TEST(Backoff, FromConfigReadsTheKeysWithTheTableDefaults) {
    Config config;
    const Backoff defaults = Backoff::fromConfig(config, "connect.backoff");
    EXPECT_EQ(defaults.initial(), settings::defaultDuration("connect.backoff_initial"));
    EXPECT_EQ(defaults.max(), settings::defaultDuration("connect.backoff_max"));

    config.set("transaction.backoff_initial", "20ms", Layer::File, "f");
    config.set("transaction.backoff_max", "2s", Layer::File, "f");
    const Backoff set = Backoff::fromConfig(config, "transaction.backoff");
    EXPECT_EQ(set.initial(), milliseconds(20));
    EXPECT_EQ(set.max(), milliseconds(2000));

    config.set("connect.backoff_max", "soon", Layer::Environment, "env X");
    try {
        (void)Backoff::fromConfig(config, "connect.backoff");
        FAIL() << "'soon' is not a duration";
    } catch (const Error& e) {
        EXPECT_EQ(e.category(), ErrorCategory::Config);
        EXPECT_NE(std::string(e.what()).find("connect.backoff_max"), std::string::npos);
    }
}
