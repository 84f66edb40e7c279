#include "plugdb/uuid.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

using plugdb::Uuid;
using plugdb::UuidV7Generator;

TEST(UuidV7, HasVersionSevenVariantTenAndCanonicalText) {
    UuidV7Generator generator;
    const Uuid uuid = generator.next();
    EXPECT_EQ(uuid[6] >> 4, 7);
    EXPECT_EQ(uuid[8] >> 6, 2);
    EXPECT_TRUE(std::regex_match(
        plugdb::toString(uuid), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                           "[0-9a-f]{12}")))
        << plugdb::toString(uuid);
}

TEST(UuidV7, CarriesTheClocksMilliseconds) {
    UuidV7Generator generator([] { return std::int64_t{1700000000123}; });
    EXPECT_EQ(plugdb::uuidV7Millis(generator.next()), 1700000000123);
    // RFC 9562's example timestamp 0x017F22E279B0 prints as the first 12 hex digits.
    UuidV7Generator example([] { return std::int64_t{0x017F22E279B0}; });
    EXPECT_EQ(plugdb::toString(example.next()).substr(0, 13), "017f22e2-79b0");
}

TEST(UuidV7, IncreasesStrictlyWithinOneMillisecond) {
    UuidV7Generator generator([] { return std::int64_t{1700000000000}; });
    std::string previous = generator.nextString();
    for (int i = 0; i < 10000; ++i) {  // far more than the 12-bit counter holds
        const std::string next = generator.nextString();
        ASSERT_LT(previous, next) << "after " << i << " ids";
        previous = next;
    }
}

TEST(UuidV7, KeepsIncreasingWhenTheClockStepsBack) {
    std::int64_t now = 1700000000500;
    UuidV7Generator generator([&] { return now; });
    const std::string before = generator.nextString();
    now -= 400;
    const std::string after = generator.nextString();
    EXPECT_LT(before, after);
}

TEST(UuidV7, CounterOverflowMovesToTheNextMillisecond) {
    UuidV7Generator generator([] { return std::int64_t{1000}; });
    std::int64_t last = 0;
    for (int i = 0; i < 5000; ++i) last = plugdb::uuidV7Millis(generator.next());
    EXPECT_GT(last, 1000);
}

TEST(UuidV7, UniqueAcrossThreads) {
    std::vector<std::string> ids[4];
    std::vector<std::thread> threads;
    for (auto& list : ids)
        threads.emplace_back([&list] {
            for (int i = 0; i < 2000; ++i) list.push_back(plugdb::newUuidV7());
        });
    for (auto& thread : threads) thread.join();
    std::set<std::string> all;
    for (const auto& list : ids) all.insert(list.begin(), list.end());
    EXPECT_EQ(all.size(), 8000u);
}
