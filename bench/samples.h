// One scenario's figures, one per round, and what the benchmark reports show
// of them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace plugdb::bench {

struct Samples {
    std::vector<double> values;

    // The middle value; for an even count, the mean of the two middle ones.
    double median() const {
        auto v = values;
        std::sort(v.begin(), v.end());
        const std::size_t n = v.size();
        return n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    // The middle value; for an even count, the higher of the two middle ones.
    // plugdb-kv-bench's tables have always given this one, so their figures stay
    // comparable with those in README.md.
    double upperMedian() const {
        auto v = values;
        std::sort(v.begin(), v.end());
        return v.empty() ? 0 : v[v.size() / 2];
    }
    double min() const {
        return values.empty() ? 0 : *std::min_element(values.begin(), values.end());
    }
    double max() const {
        return values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    }
};

}  // namespace plugdb::bench
